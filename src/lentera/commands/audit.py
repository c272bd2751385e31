"""``lentera audit verify|checkpoint``: check the keyed hash chain; anchor it outside the database."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="audit log tools")
    verbs = p.add_subparsers(dest="audit_command", metavar="VERB", required=True)
    v = verbs.add_parser("verify", help="detect altered, deleted or inserted audit rows")
    v.add_argument(
        "--against",
        type=Path,
        metavar="CHECKPOINT",
        help="also check the rows a signed checkpoint anchored (detects a re-computed chain)",
    )
    v.set_defaults(func=run)
    c = verbs.add_parser(
        "checkpoint", help="write a signed checkpoint of the chain head (keep a copy off-site)"
    )
    c.add_argument("--out", type=Path, metavar="FILE", help="also write it to FILE")
    c.set_defaults(func=checkpoint)


def run(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.audit.checkpoints import read_checkpoint
    from lentera.web.audit.services import audit_verify

    against = read_checkpoint(args.against) if args.against else None
    report = audit_verify(against=against)
    if report.ok:
        extra = f"; matches the checkpoint of {against['at']}" if against else ""
        print(f"audit log intact: {report.rows} rows, chain verified{extra}")
        return 0
    print(f"AUDIT LOG TAMPERED: {len(report.problems)} problem(s) in {report.rows} rows")
    for problem in report.problems[:100]:
        print(f"  - {problem}")
    return 1


def checkpoint(args: argparse.Namespace) -> int:
    from lentera.commands._django import setup

    setup()
    from lentera.web.audit.checkpoints import checkpoint_create

    data = checkpoint_create(out=args.out)
    where = f" and {args.out}" if args.out else ""
    print(
        f"checkpoint: {data['rows']} rows up to row {data['last_id']}, head {data['head'][:16]}…, "
        f"written to the data directory{where}. Keep a copy where the database's users cannot write."
    )
    return 0
