"""``lentera law check``: which law articles rest on text or penalties not verified against the statute."""

from __future__ import annotations

import argparse
import json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "law",
        help="inspect the legal knowledge base",
        description="Inspect the legal knowledge base shipped with Lentera.",
    )
    verbs = p.add_subparsers(dest="law_command", metavar="VERB")
    check = verbs.add_parser(
        "check",
        help="list articles whose statute text or a penalty regime is not verified",
        description=(
            "Every article carries the statute text it encodes, where that text was read and "
            "whether it is verified. This lists the unverified ones, with what is unverified "
            "and the source read; results that depend on them are marked in the UI and the memo."
        ),
    )
    check.add_argument("--json", action="store_true", help="one JSON object per article")
    check.add_argument(
        "--strict", action="store_true", help="exit 1 when any article is unverified"
    )
    check.set_defaults(func=run_check)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def unverified_report() -> list[dict[str, object]]:
    """One entry per unverified article: what is unverified and where it was read."""
    from lentera.law import load_kb

    kb = load_kb()
    out: list[dict[str, object]] = []
    for art in kb.unverified():
        regimes = [
            {"reading": r.reading, "from": r.start.isoformat() if r.start else None,
             "source": r.source}
            for r in art.regimes if r.verification != "verified" and r.start is not None
        ]  # fmt: skip
        out.append({
            "article": art.id,
            "cite": f"{kb.laws[art.law].short} {art.cite_id}",
            "text_verified": art.verified,
            "text_source": art.text_source,
            "unverified_penalty_readings": regimes,
        })  # fmt: skip
    return out


def run_check(args: argparse.Namespace) -> int:
    from lentera.law import load_kb

    report = unverified_report()
    if args.json:
        for entry in report:
            print(json.dumps(entry, ensure_ascii=False))
    else:
        kb = load_kb()
        print(f"{kb.rule_set}: {len(report)} of {len(kb.articles)} articles not fully verified")
        for entry in report:
            what = [] if entry["text_verified"] else ["statute text"]
            what += [
                f"penalty from {r['from']} ({r['reading']})"  # type: ignore[index]
                for r in entry["unverified_penalty_readings"]  # type: ignore[attr-defined]
            ]
            print(f"- {entry['article']} ({entry['cite']}): {', '.join(what)}")
            print(f"    read at: {entry['text_source']}")
    return 1 if args.strict and report else 0
