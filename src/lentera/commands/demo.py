"""``lentera demo``: load deterministic synthetic demo data (idempotent)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="load synthetic demo data (two organisations, ~300 cases); does nothing if present",
    )
    p.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    p.add_argument("--scale", type=float, default=1.0, help="multiply the number of cases")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.demo import load_demo

    result = load_demo(seed=args.seed, scale=args.scale)
    if result.created:
        print(f"Demo data loaded: {result.cases} synthetic cases in 2 organisations.")
    else:
        print("Demo data already present (nothing changed).")
    print("\nDemo logins (synthetic data only — never use these on a real instance):")
    print(f"  {'org':8} {'username':22} {'password':14} role")
    for org, username, password, role in result.logins:
        print(f"  {org:8} {username:22} {password:14} {role}")
    return 0
