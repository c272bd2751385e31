"""``lentera audit verify``: check the hash chain of the audit log."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="audit log tools")
    verbs = p.add_subparsers(dest="audit_command", metavar="VERB", required=True)
    v = verbs.add_parser("verify", help="detect altered, deleted or inserted audit rows")
    v.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.audit.services import audit_verify

    report = audit_verify()
    if report.ok:
        print(f"audit log intact: {report.rows} rows, chain verified")
        return 0
    print(f"AUDIT LOG TAMPERED: {len(report.problems)} problem(s) in {report.rows} rows")
    for problem in report.problems[:100]:
        print(f"  - {problem}")
    return 1
