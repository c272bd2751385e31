"""Analytics engine at scale: warehouse build and dashboard latency (issue 8).

    .venv/bin/python benchmarks/bench_analytics.py [--cases 1000000] [--runs 7] [--out FILE]

Generates a SYNTHETIC snapshot of N cases (≈1.2 N survivors; lentera.analytics.synthetic),
writes it as Parquet, then measures in the same run:

- snapshot load + column-wise validation (``load_snapshot_dir``) and warehouse build;
- the main dashboard (``metrics.dashboard``: every dashboard metric, suppressed, as pandas
  DataFrames), unfiltered and filtered (two provinces, one year, one sex), median of ``--runs``;
- baseline: the same SQL queries run directly on the same DuckDB connection
  (``metrics.dashboard_queries``, results fetched as Python tuples, no suppression).

Targets: dashboard ≤ 1 s and ≤ 1.5× the raw queries. Prints a Markdown table and, with
``--out``, appends it to that file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _harness import emit, machine, timed

from lentera.analytics import metrics
from lentera.analytics.snapshot import Snapshot, load_snapshot_dir
from lentera.analytics.synthetic import synthetic_snapshot, synthetic_tables
from lentera.analytics.warehouse import Warehouse, build_warehouse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        tables = synthetic_tables(args.cases)
        Snapshot(tables, provided=tuple(tables)).write_dir(root / "snap")
        gen_s = time.perf_counter() - t
        n_surv = tables["survivors"].num_rows
        del tables
        t = time.perf_counter()
        snap = load_snapshot_dir(root / "snap")
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        path = build_warehouse(snap, root / "wh.duckdb")
        build_s = time.perf_counter() - t
        t = time.perf_counter()
        build_warehouse(snap, path)
        rebuild_s = time.perf_counter() - t
        del snap
        size_mb = path.stat().st_size / 2**20

        rows = []
        with Warehouse(path) as wh:
            con = wh.con
            for label, filters in (
                ("dashboard, no filter", None),
                (
                    "dashboard, 2 provinces + 2023 + female",
                    {
                        "province": ["35", "53"],
                        "period_from": "2023-01",
                        "period_to": "2023-12",
                        "sex": "female",
                    },
                ),
            ):
                queries = metrics.dashboard_queries(filters)

                def raw(queries: list[Any] = queries) -> None:
                    for _key, sql, params in queries:
                        con.execute(sql, params).fetchall()

                def board(filters: dict[str, Any] | None = filters) -> None:
                    metrics.dashboard(wh, filters)

                base = timed(raw, args.runs)
                ours = timed(board, args.runs)
                rows.append((label, ours, base, len(queries)))

    lines = [
        "## Analytics engine (issue 8)",
        "",
        f"{time.strftime('%Y-%m-%d')} · {machine()} · `benchmarks/bench_analytics.py --cases {args.cases}` · SYNTHETIC data",
        "",
        f"Snapshot: {args.cases:,} cases, {n_surv:,} survivors (generated and written as Parquet in {gen_s:.1f} s); warehouse file {size_mb:.0f} MiB.",
        "",
        "| step | time | baseline (same run) | ratio | target |",
        "|---|---|---|---|---|",
        f"| load + validate snapshot (Parquet → DuckDB checks) | {load_s:.2f} s | – | – | – |",
        f"| build warehouse | {build_s:.2f} s | rebuild, same snapshot: {rebuild_s:.2f} s | {build_s / rebuild_s:.2f} | – |",
    ]
    for label, ours, base, n in rows:
        ok = "met" if ours <= 1.0 and ours <= 1.5 * base else "NOT met"
        lines.append(
            f"| {label} ({n} metrics, suppressed DataFrames; median of {args.runs}) | {ours * 1000:.0f} ms | raw DuckDB queries: {base * 1000:.0f} ms | {ours / base:.2f}× | ≤ 1 s, ≤ 1.5×: {ok} |"
        )
    emit(lines, args.out)
    return 0


if __name__ == "__main__":
    _ = synthetic_snapshot  # re-exported for notebooks: small validated synthetic snapshots
    sys.exit(main())
