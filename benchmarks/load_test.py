"""Bounded load test on loopback: a realistic caseworker mix at ~200 requests/s on PostgreSQL.

One command:  .venv/bin/python benchmarks/load_test.py [--rps 200] [--minutes 10] [--database-url postgres://postgres@127.0.0.1:5432/lentera_load]

Creates (or recreates) the database, loads the demo data scaled ×5, serves
with production settings, runs locust headless with enough users at one task
per second each to reach the target rate, stops by itself, and writes the
figures (requests, failures, p50/p95/p99 per request type) to docs/reliability.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import Instance

ROOT = Path(__file__).resolve().parents[1]


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rps", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/lentera_load")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    recreate_database(args.database_url)
    inst = Instance(port=args.port, database_url=args.database_url, workers=args.workers, threads=8)
    inst.run("migrate")
    inst.run("demo", "--scale", "5")
    inst.start()
    prefix = inst.data_dir / "locust"
    try:
        subprocess.run(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(Path(__file__).with_name("locustfile.py")),
                "--headless",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--users",
                str(args.rps),
                "--spawn-rate",
                "20",
                "--run-time",
                f"{int(args.minutes * 60)}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(prefix),
                "--only-summary",
            ],
            check=False,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
    finally:
        inst.stop()
    rows = list(csv.DictReader((inst.data_dir / "locust_stats.csv").open()))
    server_errors = (inst.data_dir / "server.log").read_text().count("Internal Server Error")
    lines = [
        "### Load test (locust, PostgreSQL, production settings)",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} vCPU), {args.minutes:g} min, "
        f"target {args.rps} req/s ({args.rps} users × 1 task/s), `lentera serve` {args.workers} workers × 8 threads, locust on the same machine. "
        f"Command: `.venv/bin/python benchmarks/load_test.py --rps {args.rps} --minutes {args.minutes:g}`.",
        "",
        "| request | count | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    lines += ["", f"Server errors in the server log: **{server_errors}**.", ""]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "docs" / "benchmarks" / "load.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    return 0 if total and int(total["Failure Count"]) == 0 and server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
