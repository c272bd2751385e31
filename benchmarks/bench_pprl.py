"""Privacy-preserving linkage between two organisations: speed, and accuracy against plaintext.

    .venv/bin/python benchmarks/bench_pprl.py --records 100000 [--seed 9] [--hard] [--skip-v1]

Two organisations' files of ``--records`` synthetic records each (``lentera.linkage.synthetic``,
every record invented; ``--hard`` uses the hard generator, else the issue-7 one): A holds one
record of each of N people, B a second, messier record of the people who have one, filled up
with other people. Measured in one run:

- ``lentera-clk/2`` (what ``lentera link encode`` / ``match`` do): ``clk2.encode`` of both files
  (timed apart) and ``clk2.match`` (field filters and keyed tokens, several keyed blocking
  keys, Fellegi–Sunter weights re-estimated in the run, threshold chosen in the run,
  one-to-one);
- the plaintext Splink model on the same files (``dedupe.link``: the two files deduplicated
  as one, cross pairs, one-to-one, threshold chosen in the run) — the issue's target is
  clk/2 within 0.03 F1 of it;
- ``lentera-clk/1`` (context, unless ``--skip-v1``): ``pprl.encode`` and ``pprl.match`` at
  the threshold of a small grid that scores best on this data.

Wall and CPU time (this process) are given for each, because the machine is shared.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

from lentera.linkage import clk2, dedupe, pprl
from lentera.linkage.evaluation import best_over, pair_scores, two_organisations

TARGET_SECONDS = 60.0
TARGET_GAP = 0.03
PPRL_GRID = (0.72, 0.75, 0.78, 0.8, 0.82, 0.84, 0.86, 0.88, 0.9)
KEY = b"benchmark coalition secret, not a real one"


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--hard", action="store_true")
    parser.add_argument("--skip-v1", action="store_true")
    args = parser.parse_args(argv)
    load_start = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    a, b, truth = two_organisations(args.records, args.seed, hard=args.hard)

    (enc_a, enc_b), enc_s, enc_cpu = timed(lambda: (clk2.encode(a, KEY), clk2.encode(b, KEY)))
    (matches, report), v2_s, v2_cpu = timed(lambda: clk2.match(enc_a, enc_b))
    v2 = pair_scores({(m.a_record_id, m.b_record_id) for m in matches}, truth)

    (plain_pairs, _), plain_s, plain_cpu = timed(lambda: dedupe.link(a, b))
    plain = pair_scores({(p.a_record_id, p.b_record_id) for p in plain_pairs}, truth)

    v1: dict[str, float] | None = None
    if not args.skip_v1:
        e1a, e1b = pprl.encode(a, KEY), pprl.encode(b, KEY)
        v1_t, v1 = best_over(pprl._candidates(e1a, e1b, min(PPRL_GRID)), PPRL_GRID, truth)

    gap = plain["f1"] - v2["f1"]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"### PPRL `lentera-clk/2`, {args.records:,} × {args.records:,} records",
        "",
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.system()} {platform.machine()}, {os.cpu_count()} logical CPUs "
        f"(shared), Python {platform.python_version()}, load average {load_start} at the "
        f"start, {load} at the end",
        f"- command: `python benchmarks/bench_pprl.py --records {args.records} --seed {args.seed}"
        f"{' --hard' if args.hard else ''}{' --skip-v1' if args.skip_v1 else ''}`",
        f"- data: A {len(a):,}, B {len(b):,} records ({'hard' if args.hard else 'issue-7'} "
        f"generator), {len(truth):,} true pairs",
        f"- clk/2 encoding both files: {enc_s:.1f} s wall, {enc_cpu:.1f} s CPU (not in the match "
        f"time); {report['candidate_pairs']:,} candidate pairs, threshold chosen "
        f"{report['threshold']} (expected F1 {report['expected_f1']})",
        "",
        "| figure | clk/2 (encodings) | plaintext Splink model (`dedupe.link`) | ratio |",
        "|---|---|---|---|",
        f"| match wall time (s) | {v2_s:.1f} | {plain_s:.1f} | {v2_s / plain_s:.2f} |",
        f"| match CPU time (s) | {v2_cpu:.1f} | {plain_cpu:.1f} | {v2_cpu / plain_cpu:.2f} |",
    ]
    for k in ("precision", "recall", "f1"):
        lines.append(f"| {k} | {v2[k]:.4f} | {plain[k]:.4f} | {v2[k] / plain[k]:.3f} |")
    if v1 is not None:
        lines += ["", f"clk/1 (context, best grid threshold {v1_t}): F1 {v1['f1']:.4f}."]
    lines += [
        "",
        "| target | value | met |",
        "|---|---|---|",
        f"| match ≤ {TARGET_SECONDS:.0f} s | {v2_s:.1f} s wall ({v2_cpu:.1f} s CPU) | "
        f"{'yes' if v2_s <= TARGET_SECONDS else 'NO'} |",
        f"| F1 within {TARGET_GAP} of the plaintext Splink model | {-gap:+.4f} | "
        f"{'yes' if gap <= TARGET_GAP else 'NO'} |",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
