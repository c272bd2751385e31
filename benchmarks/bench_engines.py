"""Batch throughput of the screening and legal engines (issues 3, 4 and 23).

    .venv/bin/python benchmarks/bench_engines.py [--n 50000] [--seed 7] [--contract 1.1]

Generates N random but valid case-facts documents from a stated distribution
(``DISTRIBUTION`` below, printed with the results), then measures on one core,
in the same run and interleaved in rounds so that load on a shared machine hits
every path alike:

- baseline: ``parse_case_facts`` alone (JSON text -> validated model), the floor
  any engine call pays;
- the engines on already-parsed models (``screen(model)``, ``qualify(model)``),
  first pass (cold caches: what a batch import sees) and warm (caches filled by the
  first pass, then N *other* documents from the same distribution: a long batch's
  steady state; re-running the same documents would only measure memo hits);
- the Python API on text (parse + engine), on those other documents;
- CLI: ``lentera screen -`` / ``lentera qualify -`` over a JSON Lines file (wall
  time, including interpreter start-up).

Documents without an offence date are qualified with the rules in force on a
fixed ``--as-of`` date (default 2026-06-01), so the run does not depend on the
day it is made. Time is the process's CPU time by default (``--clock cpu``: per
core, what a shared machine's load changes least; ``--clock wall`` for elapsed
time). The law and indicator data are loaded before the clock starts (start-up,
printed apart: the CLI pays it once per process), and the generated inputs are
moved out of the collector's sight (``gc.freeze``) so that the garbage collector
does not scan the benchmark's own 2 x N documents (a streaming batch holds one);
the engines' own memos stay in view. Prints facts/s and the ratios (time per
fact) to the baseline; copy them into docs/benchmarks.md.

Why earlier figures did not reproduce (issue 23): the old harness measured each
path once, one after the other, so a change in machine load between paths moved
the ratios; the qualification engine's caches (penalty arithmetic) warmed during
the measured pass, so the figure depended on ``--n`` (cold start weighs more in a
small run); documents without a date used today's rules; and the input
distribution was not stated.
"""

from __future__ import annotations

import argparse
import gc
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
from lentera.law import load_kb, qualify
from lentera.screening import load_catalogue, screen

LISTS = ("adult_labour", "adult_sexual", "child_labour", "child_sexual")


DISTRIBUTION = """\
each document, independently (seeded random.Random):
  offence_date   uniform over {null, 2019-06-01, 2024-03-01, 2026-02-01}
  victim.age     uniform over {null, 8..59}   (about 19% children, 2% unknown)
  victim.sex     uniform {female, male, null}; citizenship {ID, ID, MY, null}
  movement       origin and destination country each from {ID x3, MY, SA, KH, CN, null}
  acts, means    0-3 distinct codes each, uniform; purposes 0-2; harm 0 (3/4) or 1 code
  every boolean  uniform over {true, false, null} (perpetrator, migrant work; with
                 --contract 1.1 also the 1.1 facts, and relations null or 0-2 codes)
  indicators     0-10 distinct ids drawn from all four ILO/EC lists"""


def generate(n: int, seed: int = 7, contract: str = "1.1") -> list[str]:
    """N JSON documents drawn from ``DISTRIBUTION``."""
    from lentera.facts.vocab import RELATIONS

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
        if contract == "1.1":
            doc["schema"] = "lentera.case-facts/1.1"
            doc["victim"].update(pregnant=tri(), unconscious_or_helpless=tri())
            doc["exploitation"].update(child_marriage=tri(), harmful_work=tri())
            doc["perpetrator"].update(
                abused_power=tri(),
                acted_jointly=tri(),
                repeat_offender=tri(),
                relations=rng.choice([None, rng.sample(RELATIONS, rng.randint(0, 2))]),
            )
            doc["circumstances"] = {"more_than_one_victim": tri(), "disaster_or_conflict": tri(),
                                    "electronic_means": tri()}  # fmt: skip
        out.append(json.dumps(doc))
    return out


QUIET_BASELINE = 37_000  # parse_case_facts facts/s on a quiet core (issue 23, 2026-12-02)


CLOCK = time.process_time


def interleaved(paths: dict[str, tuple[object, list[object]]], rounds: int) -> dict[str, float]:
    """facts/s of each path, measured chunk by chunk in turn (same load for all)."""
    spent = dict.fromkeys(paths, 0.0)
    count = dict.fromkeys(paths, 0)
    for r in range(rounds):
        for label, (fn, items) in paths.items():
            size = len(items) // rounds
            chunk = items[r * size : (r + 1) * size]
            start = CLOCK()
            for item in chunk:
                fn(item)  # type: ignore[operator]
            spent[label] += CLOCK() - start
            count[label] += len(chunk)
    return {label: count[label] / spent[label] for label in paths}


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
    import datetime as dt

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--contract", choices=["1", "1.1"], default="1.1")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 6, 1))
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI subprocess runs")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {platform.machine()} · "
        f"{platform.processor() or platform.platform()} · Python {platform.python_version()} · "
        f"one core · load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} · "
        f"n={args.n} seed={args.seed} contract={args.contract} as_of={args.as_of} clock={args.clock}"
    )
    print(DISTRIBUTION)
    start = time.perf_counter()
    load_kb()
    load_catalogue()
    print(
        f"start-up (law and indicator data loaded, not timed below): {time.perf_counter() - start:.2f} s"
    )
    texts = generate(args.n, args.seed, args.contract)
    models = [parse_case_facts(t) for t in texts]
    others = generate(args.n, args.seed + 1, args.contract)
    other_models = [parse_case_facts(t) for t in others]
    gc.collect()
    gc.freeze()  # the inputs: not the engines' garbage
    as_of = args.as_of

    def qualify_at(doc: object) -> object:
        return qualify(doc, as_of=as_of)  # type: ignore[arg-type]

    first = interleaved(
        {"baseline: parse_case_facts(text)": (parse_case_facts, texts),
         "engine only: screen(model), first pass": (screen, models),
         "engine only: qualify(model), first pass": (qualify_at, models)},
        args.rounds,
    )  # fmt: skip
    second = interleaved(
        {"baseline (again, other documents)": (parse_case_facts, others),
         "engine only: screen(model), warm": (screen, other_models),
         "engine only: qualify(model), warm": (qualify_at, other_models),
         "Python API: screen(text)": (screen, others),
         "Python API: qualify(text)": (qualify_at, others)},
        args.rounds,
    )  # fmt: skip
    base = first["baseline: parse_case_facts(text)"]
    base2 = second["baseline (again, other documents)"]
    rows = [(k, v, base / v) for k, v in first.items()]
    rows += [(k, v, base2 / v) for k, v in second.items()]
    if not args.no_cli:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "facts.jsonl"
            path.write_text("\n".join(texts) + "\n")
            for verb in ("screen", "qualify"):
                rate_cli = cli(verb, path, args.n)
                rows.append(
                    (
                        f"CLI lentera {verb} - (JSON Lines, incl. start-up)",
                        rate_cli,
                        base2 / rate_cli,
                    )
                )
    print(f"{'path':<48} {'facts/s':>10} {'time vs baseline':>17}")
    for label, per_s, ratio in rows:
        print(f"{label:<48} {per_s:>10,.0f} {ratio:>16.2f}x")
    # The targets are per core. The ratio rule takes the baseline at QUIET_BASELINE facts/s
    # (issue 23's quiet-machine figure, the conservative one: a quiet core here has also
    # given 60k+), so it holds on a faster or a loaded machine; the absolute CPU-time rate
    # of this run is printed beside it.
    for label, target in (("screen", 40_000), ("qualify", 20_000)):
        warm = second[f"engine only: {label}(model), warm"]
        cold = first[f"engine only: {label}(model), first pass"]
        need = QUIET_BASELINE / target
        print(f"{label}: first pass {base / cold:.2f}x baseline ({cold:,.0f}/s), warm "
              f"{base2 / warm:.2f}x ({warm:,.0f}/s); target {target:,}/s needs <= {need:.2f}x "
              f"(baseline {QUIET_BASELINE:,}/s): "
              f"{'met' if base2 / warm <= need else 'NOT met'} warm, "
              f"{'met' if base / cold <= need else 'NOT met'} first pass")  # fmt: skip


if __name__ == "__main__":
    main()
