"""Batch throughput of the screening and legal engines (issues 3 and 4).

    .venv/bin/python benchmarks/bench_engines.py [--n 200000]

Generates N random but valid case-facts documents (seeded), then measures on
one core, in the same run:

- baseline: ``parse_case_facts`` alone (JSON text → validated model), the floor
  any engine call pays;
- Python API: ``screen(text)`` and ``qualify(text)`` (parse + engine), and the
  engines on already-parsed models;
- CLI: ``lentera screen -`` / ``lentera qualify -`` over a JSON Lines file (wall
  time, including interpreter start-up).

Prints facts/s and the ratios to the baseline; copy them into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lentera.facts import parse_case_facts
from lentera.facts.vocab import ACTS, HARMS, MEANS, PURPOSES
from lentera.law import qualify
from lentera.screening import load_catalogue, screen

LISTS = ("adult_labour", "adult_sexual", "child_labour", "child_sexual")


def generate(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    ids = [i.id for lst in LISTS for i in load_catalogue().indicators(lst)]
    countries = ["ID", "ID", "ID", "MY", "SA", "KH", "CN", None]

    def tri() -> bool | None:
        return rng.choice([True, False, None])

    out = []
    for i in range(n):
        doc = {
            "schema": "lentera.case-facts/1",
            "case_ref": f"bench-{i}",
            "offence_date": rng.choice([None, "2019-06-01", "2024-03-01", "2026-02-01"]),
            "victim": {"age_at_offence": rng.choice([None, *range(8, 60)]), "sex": rng.choice(["female", "male", None]), "citizenship": rng.choice(["ID", "ID", "MY", None])},
            "movement": {"origin_country": rng.choice(countries), "destination_country": rng.choice(countries), "crossed_regions_within_indonesia": tri()},
            "acts": rng.sample(ACTS, rng.randint(0, 3)),
            "means": rng.sample(MEANS, rng.randint(0, 3)),
            "exploitation": {"purposes": rng.sample(PURPOSES, rng.randint(0, 2)), "occurred": tri()},
            "harm": rng.sample(HARMS, rng.choice([0, 0, 0, 1])),
            "perpetrator": {"state_official": tri(), "corporation": tri(), "organised_group": tri(), "parent_or_guardian": tri(), "individual_placing_migrant_workers": tri()},
            "migrant_work": {"is_migrant_worker": tri(), "documents_falsified": tri(), "age_falsified": tri(), "job_differs_from_contract": tri(), "placed_in_closed_country": tri()},
            "indicators": rng.sample(ids, rng.randint(0, 10)),
        }  # fmt: skip
        out.append(json.dumps(doc))
    return out


def rate(label: str, fn, items) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for item in items:
        fn(item)
    elapsed = time.perf_counter() - start
    per_s = len(items) / elapsed
    print(f"{label:<44} {len(items):>8} in {elapsed:7.2f} s = {per_s:>9,.0f} facts/s")
    return per_s


def cli(verb: str, path: Path, n: int) -> float:
    start = time.perf_counter()
    with path.open() as stdin:
        proc = subprocess.run(
            [sys.executable, "-m", "lentera.cli", verb, "-"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            check=False,
        )
    elapsed = time.perf_counter() - start
    lines = proc.stdout.count(b"\n")
    assert proc.returncode == 0 and lines == n, (proc.returncode, lines)
    per_s = n / elapsed
    print(
        f"{'CLI lentera ' + verb + ' - (JSON Lines)':<44} {n:>8} in {elapsed:7.2f} s = {per_s:>9,.0f} facts/s"
    )
    return per_s


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(
        f"{time.strftime('%Y-%m-%d')} · {platform.machine()} · {platform.processor() or platform.platform()} · Python {platform.python_version()} · one core"
    )
    texts = generate(args.n)
    models = [parse_case_facts(t) for t in texts[: args.n // 4]]
    screen(texts[0]), qualify(texts[0])  # warm caches
    base = rate("baseline: parse_case_facts(text)", parse_case_facts, texts)
    s = rate("Python API: screen(text)", screen, texts)
    q = rate("Python API: qualify(text)", qualify, texts)
    sm = rate("engine only: screen(model)", screen, models)
    qm = rate("engine only: qualify(model)", qualify, models)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facts.jsonl"
        path.write_text("\n".join(texts) + "\n")
        cs = cli("screen", path, args.n)
        cq = cli("qualify", path, args.n)
    print(f"ratios to baseline (time per fact): screen {base / s:.2f}×, qualify {base / q:.2f}×, "
          f"screen engine-only {base / sm:.2f}×, qualify engine-only {base / qm:.2f}×, "
          f"CLI screen {base / cs:.2f}×, CLI qualify {base / cq:.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
