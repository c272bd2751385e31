"""``lentera retention apply``: anonymise survivors whose retention period has ended."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("retention", help="apply each organisation's retention period")
    verbs = p.add_subparsers(dest="retention_command", metavar="VERB", required=True)
    v = verbs.add_parser(
        "apply",
        help="anonymise survivors whose cases have all been closed longer than the retention period",
    )
    v.add_argument("--dry-run", action="store_true")
    v.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.cases.rights import person_anonymise, retention_candidates

    people = retention_candidates()
    for person in people:
        if not args.dry_run:
            person_anonymise(actor=None, person=person, reason="retention_period_ended")
    verb = "would anonymise" if args.dry_run else "anonymised"
    print(f"{verb} {len(people)} survivor record(s)")
    return 0
