"""Batch throughput of the reintegration (RSS) scoring engine (issue 20).

    .venv/bin/python benchmarks/bench_reintegration.py [--n 100000]

Generates N random but valid ``lentera.rss-visit/1`` documents (seeded; about
one survivor per four visits, some answers missing, some visits not reached),
then measures on one core, in the same run:

- baseline: ``parse_visit`` alone (JSON text → validated model);
- Python API: ``score(text)`` (parse + score) and ``score(model)``;
- ``trajectories`` over all the results;
- CLI: ``lentera reintegration score -`` over a JSON Lines file (wall time,
  including interpreter start-up).

Prints visits/s and the ratios to the baseline; copy them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lentera.reintegration import load_catalogue, parse_visit, score, trajectories


def generate(n: int, seed: int = 20) -> list[str]:
    rng = random.Random(seed)
    cat = load_catalogue()
    start = dt.date(2024, 1, 1)
    out = []
    for i in range(n):
        survivor, visit = divmod(i, 4)
        day = start + dt.timedelta(days=90 * visit + rng.randint(0, 20))
        doc: dict = {"survivor": f"S-{survivor}", "visit_date": day.isoformat()}
        if rng.random() < 0.1:
            doc["outcome"] = rng.choice(["not_reached", "refused"])
        else:
            doc["answers"] = {
                key: rng.choice(list(ind.options))
                for key, ind in cat.indicators.items()
                if rng.random() < 0.85
            }
        out.append(json.dumps(doc))
    return out


def rate(label: str, fn, items) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for item in items:
        fn(item)
    elapsed = time.perf_counter() - start
    per_s = len(items) / elapsed
    print(f"{label:<44} {len(items):>8} in {elapsed:7.2f} s = {per_s:>9,.0f} visits/s")
    return per_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(
        f"{time.strftime('%Y-%m-%d')} · {platform.machine()} · {platform.processor() or platform.platform()} · Python {platform.python_version()} · one core"
    )
    texts = generate(args.n)
    models = [parse_visit(t) for t in texts]
    score(texts[0])  # load the catalogue
    base = rate("baseline: parse_visit(text)", parse_visit, texts)
    s = rate("Python API: score(text)", score, texts)
    sm = rate("engine only: score(model)", score, models)
    results = [score(m) for m in models]
    start = time.perf_counter()
    trajs = trajectories(results)
    elapsed = time.perf_counter() - start
    print(f"{'trajectories(results)':<44} {len(results):>8} in {elapsed:7.2f} s = {len(results) / elapsed:>9,.0f} visits/s ({len(trajs)} survivors)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "visits.jsonl"
        path.write_text("\n".join(texts) + "\n")
        start = time.perf_counter()
        with path.open() as stdin:
            proc = subprocess.run(
                [sys.executable, "-m", "lentera.cli", "reintegration", "score", "-"],
                stdin=stdin,
                stdout=subprocess.PIPE,
                check=False,
            )
        elapsed = time.perf_counter() - start
        assert proc.returncode == 0 and proc.stdout.count(b"\n") == args.n, proc.returncode
        c = args.n / elapsed
        print(f"{'CLI lentera reintegration score -':<44} {args.n:>8} in {elapsed:7.2f} s = {c:>9,.0f} visits/s")  # fmt: skip
    print(f"ratios to baseline (time per visit): score {base / s:.2f}×, "
          f"engine only {base / sm:.2f}×, CLI {base / c:.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
