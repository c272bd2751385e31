"""``lentera qualify FILE... | -``: legal qualification of case facts (Palermo vs Indonesian law)."""

from __future__ import annotations

import argparse
import datetime as dt

from lentera.commands._engine_io import run_files


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "qualify",
        help="qualify case facts under Palermo and Indonesian law",
        description=(
            "Print one lentera.qualification/1 JSON per facts file; '-' reads JSON Lines of case "
            "facts on stdin and writes JSON Lines in the same order."
        ),
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="case-facts JSON files, or - for stdin")
    p.add_argument("--as-of", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                   help="rules in force on this date when a document has no offence_date (default today)")  # fmt: skip
    p.add_argument("--pretty", action="store_true", help="indent the JSON of file results")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.law import load_kb, qualify  # the engine loads only when run

    kb = load_kb()
    as_of = args.as_of
    return run_files(
        args.files, lambda doc: qualify(doc, as_of=as_of, kb=kb).to_dict(), pretty=args.pretty
    )
