"""``lentera screen FILE... | - | --ctdc CSV``: ILO/EC indicator screening of case facts."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from lentera.commands._engine_io import run_files
from lentera.errors import LenteraError

if TYPE_CHECKING:
    from lentera.screening import Catalogue


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "screen",
        help="screen case facts against the ILO/EC trafficking indicators",
        description=(
            "Print one lentera.screening/1 JSON per facts file; '-' reads JSON Lines of case "
            "facts on stdin and writes JSON Lines in the same order. --ctdc screens a CTDC/HTCDS "
            "CSV export (one JSON line per row)."
        ),
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="case-facts JSON files, or - for stdin")
    p.add_argument("--ctdc", type=Path, metavar="CSV", help="screen the rows of a CTDC CSV file")
    p.add_argument("--pretty", action="store_true", help="indent the JSON of file results")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from lentera.screening import load_catalogue, screen  # the engine loads only when run

    catalogue = load_catalogue()
    if args.ctdc:
        if args.files:
            raise LenteraError("usage", "give either FILE arguments or --ctdc, not both")
        return _run_ctdc(args.ctdc, catalogue)
    return run_files(
        args.files, lambda doc: screen(doc, catalogue=catalogue).to_dict(), pretty=args.pretty
    )


def _run_ctdc(path: Path, catalogue: Catalogue) -> int:
    from lentera.screening import screen  # the engine loads only when run
    from lentera.screening.ctdc import facts_from_ctdc_row

    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise LenteraError("unreadable", f"cannot read {path}: {exc}") from exc
    status = 0
    counts: dict[str, int] = {}
    with handle:
        reader = csv.DictReader(handle, delimiter=_sniff(handle))
        for number, row in enumerate(reader, start=2):  # row 1 is the header
            try:
                facts = facts_from_ctdc_row(row, row_number=number, catalogue=catalogue)
                result = screen(facts, catalogue=catalogue)
            except LenteraError as exc:
                print(f"lentera: error: {path}: {exc.message}", file=sys.stderr)
                status = 2
                continue
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
            sys.stdout.write(json.dumps(result.to_dict(), separators=(",", ":")) + "\n")
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"screened {sum(counts.values())} rows: {summary or 'none'}", file=sys.stderr)
    return status


def _sniff(handle: TextIO) -> str:
    head = handle.readline()
    handle.seek(0)
    return ";" if head.count(";") > head.count(",") else ","
