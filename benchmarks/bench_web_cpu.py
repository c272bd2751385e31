"""Benchmark: CPU and SQL cost of one case-list / search request, in process.

One command:  .venv/bin/python benchmarks/bench_web_cpu.py [--cases 20000] [--runs 60] [--profile]

Seeds N synthetic cases exactly as ``bench_web.py`` does (same generator, fresh SQLite data
directory, production settings), signs in through the real login view with Django's test
client, and for each scenario of ``bench_web.py`` (``/ping`` as the baseline, the list, page
50, name / NIK / case-number search, province + type filter) measures per request, after a
warm-up: the median process CPU time (``time.process_time``), the median wall time, the
number of SQL queries and the SQL time Django reports. No server, no concurrency, no network:
the figures do not depend on the load of the machine the way ``bench_web.py``'s latencies do,
so a change to the per-request code shows up here first. ``--profile`` prints the top
functions (cumulative time) of each scenario from cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from _harness import instance_env

ROOT = Path(__file__).resolve().parent


def _environment(reuse: str | None) -> Path:
    data_dir = Path(reuse) if reuse else Path(tempfile.mkdtemp(prefix="lentera-cpu-"))
    os.environ.update(instance_env(data_dir, hosts="testserver,127.0.0.1,localhost"))
    return data_dir


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=60, help="measured requests per scenario")
    parser.add_argument("--profile", action="store_true", help="print cProfile top functions")
    parser.add_argument(
        "--data-dir",
        help="a data directory seeded before (its samples.json): migrated, not seeded again",
    )
    args = parser.parse_args()

    data_dir = _environment(args.data_dir)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client

    sys.path.insert(0, str(ROOT))
    import bench_web  # the same seeding as the served benchmark

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as `lentera serve` does
    t0 = time.perf_counter()
    if args.data_dir:
        samples = json.loads((data_dir / "samples.json").read_text())
    else:
        samples = bench_web.seed(args.cases)
        (data_dir / "samples.json").write_text(json.dumps(samples))
    seed_s = time.perf_counter() - t0

    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "bench", "password": bench_web.PASSWORD}
    )
    assert response.status_code == 302, f"login failed: {response.status_code}"
    q = urllib.parse.quote
    scenarios = {
        "trivial view /ping (baseline)": "/ping",
        "case list, page 1": "/cases/",
        "case list, page 50": f"/cases/?after={samples['deep_key']}",
        "search by name": f"/cases/?q={q(samples['name'])}",
        "search by NIK": f"/cases/?q={samples['nik']}",
        "search by case number": f"/cases/?q={samples['reference']}",
        "filter province + type": "/cases/?province=53&exploitation_type=forced_labour",
    }
    for path in scenarios.values():  # warm-up
        for _ in range(5):
            assert client.get(path).status_code == 200, path
    cpu: dict[str, list[float]] = {label: [] for label in scenarios}
    wall: dict[str, list[float]] = {label: [] for label in scenarios}
    for _ in range(args.runs):  # round robin: a change of the machine's load hits every scenario
        for label, path in scenarios.items():
            c0, w0 = time.process_time(), time.perf_counter()
            client.get(path)
            wall[label].append(time.perf_counter() - w0)
            cpu[label].append(time.process_time() - c0)
    rows = []
    profiles = {}
    for label, path in scenarios.items():
        connection.force_debug_cursor = True
        reset_queries()
        client.get(path)
        queries = list(connection.queries)
        connection.force_debug_cursor = False
        sql_ms = sum(float(x["time"]) for x in queries) * 1000
        rows.append(
            (
                label,
                statistics.median(cpu[label]) * 1000,
                statistics.median(wall[label]) * 1000,
                len(queries),
                sql_ms,
            )
        )
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            for _ in range(20):
                client.get(path)
            prof.disable()
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out)
            stats.sort_stats(os.environ.get("SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("TOP", "45")))
            profiles[label] = out.getvalue()
            profiles[label + " (queries)"] = "\n".join(x["sql"][:300] for x in queries)

    base = rows[0][1]
    what = f"Reused {data_dir}" if args.data_dir else f"Seeded {args.cases:,} cases into {data_dir}"
    print(f"{what} in {seed_s:.0f} s; {args.runs} runs each.")
    print()
    print("| scenario | CPU ms (median) | wall ms (median) | ÷ /ping CPU | SQL queries | SQL ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, cpu_ms, wall_ms, n, sql_ms in rows:
        print(
            f"| {label} | {cpu_ms:.1f} | {wall_ms:.1f} | {cpu_ms / base:.1f} | {n} | {sql_ms:.1f} |"
        )
    for label, text in profiles.items():
        print(f"\n===== {label}\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
