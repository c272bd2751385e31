"""Reports engine at scale: filling the donor and government templates (issue 21).

    .venv/bin/python benchmarks/bench_reports.py [--cases 200000] [--runs 3] [--out FILE]

Builds a warehouse from a SYNTHETIC snapshot of N cases (lentera.analytics.synthetic), then
measures in the same run, for each shipped template and the quarter 2023-Q3:

- ``build_report`` (every figure and table for the quarter and the previous one, suppressed,
  with the comparison sentences), median of ``--runs``;
- baseline: the same metrics, cuts and periods through ``compute_raw_unsuppressed`` (the
  warehouse queries alone: no suppression, labels or sentences);
- writing the built report as XLSX, DOCX and PDF.

Prints a Markdown table and, with ``--out``, appends it to that file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _harness import emit, machine, timed

from lentera.analytics import metrics
from lentera.analytics.synthetic import synthetic_snapshot
from lentera.analytics.warehouse import Warehouse, build_warehouse
from lentera.reports import build_report, parse_period, shipped_templates
from lentera.reports.period import Period
from lentera.reports.render import write_report
from lentera.reports.templates import Template


def raw_queries(wh: Warehouse, template: Template, period: Period) -> None:
    """The template's metric queries without suppression: the baseline."""
    for p in (period, period.previous()):
        for section in template.sections:
            for item in section.items:
                filters = {**p.filters(), **{k: list(v) for k, v in item.filters.items()}}
                cuts = [list(item.by), []] + ([[d] for d in item.by] if len(item.by) > 1 else [])
                for by in cuts:
                    metrics.compute_raw_unsuppressed(wh, item.metric, by, filters)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    period = parse_period("2023-Q3")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = build_warehouse(synthetic_snapshot(args.cases), root / "wh.duckdb")
        with Warehouse(path) as wh:
            for template in shipped_templates().values():
                if template.id == "custom-example":
                    continue
                base = timed(lambda t=template: raw_queries(wh, t, period), args.runs)
                ours = timed(lambda t=template: build_report(wh, t, period), args.runs)
                report = build_report(wh, template, period)
                writes = {}
                for suffix in ("xlsx", "docx", "pdf"):
                    t = time.perf_counter()
                    write_report(report, root / f"r.{suffix}")
                    writes[suffix] = time.perf_counter() - t
                rows.append((template.id, ours, base, writes))
    lines = [
        "## Reports engine (issue 21)",
        "",
        f"{time.strftime('%Y-%m-%d')} · {machine()} · `benchmarks/bench_reports.py --cases {args.cases}` · SYNTHETIC data · period 2023-Q3 and the previous quarter",
        "",
        "| template | build_report (median of "
        f"{args.runs}) | raw metric queries, same run | ratio | write XLSX / DOCX / PDF |",
        "|---|---|---|---|---|",
    ]
    for tid, ours, base, w in rows:
        lines.append(
            f"| {tid} | {ours * 1000:.0f} ms | {base * 1000:.0f} ms | {ours / base:.2f}× | "
            f"{w['xlsx'] * 1000:.0f} / {w['docx'] * 1000:.0f} / {w['pdf'] * 1000:.0f} ms |"
        )
    emit(lines, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
