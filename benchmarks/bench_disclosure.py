"""Benchmarks of lentera.disclosure on SYNTHETIC snapshots (lentera.analytics.synthetic).

Run: ``.venv/bin/python benchmarks/bench_disclosure.py [--ctdc-records 200000]
[--dp-records 1000000] [--out FILE.md]``

1. k-anonymous CTDC 2017 export of ~200 000 survivor records (k = 11, 5 QIs, full lattice,
   CSV written, identifier guard, k re-proved on the written file); target ≤ 10 s.
   Baseline: a plain DuckDB group-by count over the same QIs of the same join.
2. ε-DP counts over ~1 000 000 survivor records (sex × age band × year × destination country,
   every cell of the declared domain noised by OpenDP; contribution bounding per person);
   target ≤ 5 s. Baseline: a plain DuckDB group-by count over the same dimensions.

Snapshot generation is not timed. Each figure is the best of ``--repeat`` runs (default 3).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from lentera.analytics.snapshot import Snapshot
from lentera.analytics.synthetic import synthetic_tables
from lentera.disclosure import ctdc_release, dp_counts, write_ctdc

SURVIVORS_PER_CASE = 1.2  # synthetic_tables draws 1 or 2 survivors per case (20 % two)


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _snapshot(records: int, seed: int) -> Snapshot:
    return Snapshot.from_arrow(
        synthetic_tables(int(records / SURVIVORS_PER_CASE), seed=seed, orgs=1)
    )


def _baseline(snapshot: Snapshot, columns: str) -> Callable[[], object]:
    def run() -> object:
        con = duckdb.connect()
        con.register("s", snapshot["survivors"])
        con.register("c", snapshot["cases"])
        out = con.execute(
            f"SELECT {columns}, count(*) FROM s JOIN c USING (case_key) GROUP BY ALL"  # noqa: S608
        ).fetchall()
        con.close()
        return out

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ctdc-records", type=int, default=200_000)
    parser.add_argument("--dp-records", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also append the Markdown to this file")
    args = parser.parse_args()

    rows = []
    snap = _snapshot(args.ctdc_records, seed=11)
    n = snap.counts()["survivors"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ctdc.csv"
        info: dict[str, object] = {}

        def export() -> None:
            release = ctdc_release(snap, layout="2017", k=11)
            check = write_ctdc(release, out)
            info.update(rows=check.rows, suppressed=release.kanon.suppressed)

        t_export = _best(export, args.repeat)

        def export_full() -> None:
            release = ctdc_release(snap, layout="2017", k=11, strict=False, origin=True)
            write_ctdc(release, out)
            info.update(nodes=release.kanon.nodes_evaluated, full_rows=len(release.frame))

        t_full = _best(export_full, args.repeat)
    t_base = _best(
        _baseline(
            snap,
            "s.sex, s.age_band, year(c.opened_month), s.destination_country, s.citizenship",
        ),
        args.repeat,
    )
    rows.append(
        (
            f"k-anonymous CTDC 2017 export, k=11, {n:,} survivor records "
            f"({info['rows']:,} rows out, {info['suppressed']:,} suppressed)",
            t_export,
            "DuckDB group-by count over the 5 QIs",
            t_base,
            10.0,
        )
    )
    rows.append(
        (
            f"same, --generalise --origin: full lattice of 6 QIs ({info['nodes']} nodes), "
            f"{info['full_rows']:,} rows out",
            t_full,
            "DuckDB group-by count over the 5 QIs",
            t_base,
            10.0,
        )
    )
    del snap

    snap = _snapshot(args.dp_records, seed=12)
    n = snap.counts()["survivors"]
    dims = ["sex", "age_band", "year", "destination_country"]
    cells: dict[str, int] = {}

    def dp() -> None:
        table = dp_counts(snap, by=dims, epsilon=1.0, years=range(2019, 2025))
        cells["n"] = len(table.table)

    dp()  # first call imports OpenDP; not part of the figure
    t_dp = _best(dp, args.repeat)
    t_base = _best(
        _baseline(
            snap, "s.sex, s.age_band, year(c.opened_month), coalesce(s.destination_country, '')"
        ),
        args.repeat,
    )
    rows.append(
        (
            f"ε-DP counts (discrete Laplace, OpenDP), {n:,} survivor records, "
            f"{cells['n']:,} cells (sex × age band × year × destination)",
            t_dp,
            "DuckDB group-by count over the same dimensions",
            t_base,
            5.0,
        )
    )

    lines = [
        f"Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}  ",
        f"Machine: {platform.machine()} {platform.processor() or ''} ({os.cpu_count()} CPUs), "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}  ",
        "Command: `.venv/bin/python benchmarks/bench_disclosure.py`  ",
        f"Best of {args.repeat} runs; SYNTHETIC data; generation not timed.",
        "",
        "| task | time (s) | baseline | baseline (s) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for task, t, base_name, base_t, target in rows:
        met = "met" if t <= target else "NOT met"
        lines.append(
            f"| {task} | {t:.2f} | {base_name} | {base_t:.3f} | {t / base_t:.0f}× | "
            f"≤ {target:g} s | {met} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
