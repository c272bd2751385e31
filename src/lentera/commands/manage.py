"""``lentera manage ...``: any Django management command (for administrators)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "manage", help="run a Django management command, e.g. `lentera manage check --deploy`"
    )
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lentera manage", *args.args])
    return 0
