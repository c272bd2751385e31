"""``lentera reintegration score|trajectory FILE... | -``: Reintegration Sustainability Survey.

``score`` prints one ``lentera.reintegration/1`` JSON per visit (``-`` reads
JSON Lines of ``lentera.rss-visit/1`` documents on stdin and writes JSON Lines
in the same order). ``trajectory`` reads the same visits and prints one
``lentera.reintegration-trajectory/1`` line per survivor. An invalid visit is
reported on stderr with its line (or file) and field, the others are still
processed, and the exit code is 2.

``remind [--email] [--date YYYY-MM-DD]`` creates in-app reminders of reintegration follow-ups
due within a week or overdue (the web app; idempotent, like ``lentera referrals remind``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from lentera.commands._django import run_reminders
from lentera.errors import LenteraError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reintegration",
        help="score Reintegration Sustainability Survey visits and trajectories",
        description=(
            "Score follow-up visits against the Reintegration Sustainability Survey catalogue "
            "(economic, social, psychosocial and composite scores in [0, 1])."
        ),
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    s = verbs.add_parser(
        "score",
        help="one lentera.reintegration/1 result per visit",
        description="'-' reads JSON Lines of lentera.rss-visit/1 on stdin; JSON Lines out.",
    )
    s.add_argument("files", nargs="*", metavar="FILE", help="visit JSON files, or - for stdin")
    s.add_argument("--pretty", action="store_true", help="indent the JSON of file results")
    s.set_defaults(func=run_score)
    t = verbs.add_parser(
        "trajectory",
        help="one lentera.reintegration-trajectory/1 line per survivor",
        description="Reads visits (JSON Lines files, or - for stdin) and groups them by survivor.",
    )
    t.add_argument("files", nargs="*", metavar="FILE", help="JSON Lines files of visits, or -")
    t.set_defaults(func=run_trajectory)
    r = verbs.add_parser(
        "remind",
        help="create reminders of due and overdue follow-ups (and e-mail them with --email)",
        description="Idempotent: run it daily. Reminders name the case number and date, never a person.",
    )
    r.add_argument("--email", action="store_true", help="also e-mail unread notifications")
    r.add_argument("--date", type=dt.date.fromisoformat, help="run as if today were DATE")
    r.set_defaults(func=run_remind)


def run_remind(args: argparse.Namespace) -> int:
    return run_reminders("lentera.web.reintegration.reminders", args)


def run_score(args: argparse.Namespace) -> int:
    from lentera.commands._engine_io import run_files
    from lentera.reintegration import load_catalogue, score

    catalogue = load_catalogue()
    return run_files(args.files, lambda doc: score(doc, catalogue=catalogue), pretty=args.pretty)


def _lines(name: str, stdin: TextIO) -> tuple[str, list[str]] | None:
    if name == "-":
        return "line", stdin.read().splitlines()
    try:
        return f"{name}: line", Path(name).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"lentera: error: {name}: cannot read: {exc}", file=sys.stderr)
        return None


def run_trajectory(args: argparse.Namespace) -> int:
    from lentera.reintegration import ReintegrationResult, load_catalogue, score, trajectory

    if not args.files:
        raise LenteraError("usage", "give one or more JSON Lines files of visits, or - for stdin")
    catalogue = load_catalogue()
    status = 0
    by_survivor: dict[str, list[tuple[str, ReintegrationResult]]] = {}
    for name in args.files:
        read = _lines(name, sys.stdin)
        if read is None:
            status = 2
            continue
        prefix, lines = read
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{prefix} {number}"
            try:
                result = score(line, catalogue=catalogue)
            except LenteraError as exc:
                print(f"lentera: error: {where}: {exc.message}", file=sys.stderr)
                status = 2
                continue
            by_survivor.setdefault(result.survivor, []).append((where, result))
    for survivor in sorted(by_survivor):
        entries = by_survivor[survivor]
        try:
            doc = trajectory(r for _, r in entries)
        except LenteraError as exc:
            lines_named = ", ".join(w for w, _ in entries)
            print(f"lentera: error: {exc.message} ({lines_named})", file=sys.stderr)
            status = 2
            continue
        sys.stdout.write(doc.model_dump_json(by_alias=True) + "\n")
    return status
