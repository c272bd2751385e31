"""How far the dedupe's candidate pairs and comparisons could go: ceilings on the hard generator.

    .venv/bin/python benchmarks/bench_dedupe_ceiling.py --records 100000 [--train-seed 6] [--test-seed 5] [--iterations 200] [--max-train 1000000]

A measurement, not a model to ship: the classifiers below are trained on the generator's
truth, so their figures are a practical ceiling of the evidence, not a candidate scorer.
Needs scikit-learn (``pip install -e '.[bench]'``).

Two runs of ``lentera.linkage.dedupe.dedupe`` in this process (the shipped model, adapted in
the run, threshold chosen in the run), one on ``synthetic.generate(N, seed=TRAIN)`` and one on
``seed=TEST`` (the hard generator, every record invented). Each run's scored candidate pairs
are read where the run itself has them: ``run.density_adjust`` is wrapped in this process
only (no change to the package) and keeps, from the table it returns — every candidate
pair after the token, place and density corrections — the final match weight, the name's
frequency adjustment and each field's comparison level (read back from its weight with the
adapted model). Figures, all on the TEST run:

- true pairs, candidates, true pairs among candidates (blocking recall);
- the run's clusters (= ``bench_dedupe.py`` for the same N and seed) and its links
  ≥ threshold (pairwise);
- the run's own weight with the threshold chosen on the truth (pairwise);
- a ``HistGradientBoostingClassifier`` (levels categorical, 63 leaves, learning rate 0.1,
  no early stopping) trained on the TRAIN run's candidates (a uniform sample of at most
  ``--max-train`` of them), on the levels + the run's weight and name adjustment, and on
  those plus 32 cheap features computed without truth (missing / year-only flags, name
  token and key frequencies, same phonetic name / area, year difference, degrees in the
  candidate graph) — 41 columns; pairwise at probability ≥ 0.5, and clustered by
  ``lentera.linkage.cluster.cluster`` (threshold and link floor 0.5);
- the perfect decision on the candidates (link exactly the true candidate pairs),
  pairwise and clustered.

Pairwise figures count every true pair, so pairs blocking never reaches are missed;
clustered figures count the pairs inside the clusters (as ``synthetic.pairwise_scores``).
Timings are of the dedupe runs; the analysis time and the peak memory are printed apart.
Prints a Markdown section (date, machine, command, data, table).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import lentera.linkage.dedupe.run as dedupe_run
from lentera.linkage import synthetic
from lentera.linkage.cluster import cluster
from lentera.linkage.dedupe.adapt import _level_index, _weights
from lentera.linkage.dedupe.engine import drop_tables, query

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dedupe import machine_line  # the same machine line as bench_dedupe.py

FIELDS = ("name", "birth_date", "nik", "phone", "sex", "place", "father")
RECORD_COLUMNS = (
    "uid",
    "phon_sorted",
    "dob",
    "birth_year",
    "area",
    "nik",
    "phone",
    "father",
    "sex",
    "birth_place",
    "name_full",
)
NULL_FLAGS = (
    "dob_null",
    "year_null",
    "year_only",
    "nik_null",
    "phone_null",
    "father_null",
    "area_null",
    "birth_place_null",
    "sex_null",
)
COUNTS = ("n_tokens", "tok_min_freq", "tok_max_freq", "n_p", "n_py", "n_pya", "n_pd", "n_name")
KEYS = {
    "n_p": ["phon_sorted"],
    "n_py": ["phon_sorted", "birth_year"],
    "n_pya": ["phon_sorted", "birth_year", "area"],
    "n_pd": ["phon_sorted", "dob"],
    "n_name": ["name_full"],
}
BASE = ["match_weight", "mw_tf_adj_name", *(f"lvl_{f}" for f in FIELDS)]


def _captured_run(n: int, seed: int) -> dict[str, Any]:
    """One dedupe run on the hard generator, with its scored candidate pairs kept."""
    data = synthetic.generate(n, seed=seed)
    kept: dict[str, Any] = {}
    original = dedupe_run.density_adjust

    def density_adjust(runner: Any, scored: Any, features: Any, n_: int, mpr: float) -> Any:
        out, lowered = original(runner, scored, features, n_, mpr)
        columns = ["uid_l", "uid_r", "match_weight", "mw_tf_adj_name"]
        columns += [f"mw_{f}" for f in FIELDS]
        table = query(
            runner,
            f"SELECT {', '.join(columns)} FROM {out.physical_name}",  # noqa: S608
            f"__bench_ceiling_{out.physical_name}",
        )
        kept["pairs"] = table.as_pyarrow_table()
        drop_tables([table])
        kept["records"] = features.as_pyarrow_table().select(list(RECORD_COLUMNS))
        return out, lowered

    dedupe_run.density_adjust = density_adjust
    try:
        t, c = time.perf_counter(), time.process_time()
        result = dedupe_run.dedupe({k: list(v) for k, v in data.columns.items()})
        wall, cpu = time.perf_counter() - t, time.process_time() - c
    finally:
        dedupe_run.density_adjust = original
    arrow = kept.pop("pairs")
    weights = _weights(result.model)

    def column(name: str, dtype: Any, arrow: Any = arrow) -> Any:
        values = arrow.column(name).to_numpy(zero_copy_only=False)
        return np.nan_to_num(values.astype(dtype))

    pairs = {
        "l": column("uid_l", np.int64),
        "r": column("uid_r", np.int64),
        "match_weight": column("match_weight", np.float64),
        "mw_tf_adj_name": column("mw_tf_adj_name", np.float32),
    }
    for f in FIELDS:
        pairs[f"lvl_{f}"] = _level_index(column(f"mw_{f}", np.float64), weights[f]).astype(np.int8)
    records = kept.pop("records").to_pandas()
    if not np.array_equal(records["uid"].to_numpy(), np.arange(len(data))):
        records = records.sort_values("uid").reset_index(drop=True)
    entity = data.entity
    pairs["same"] = entity[pairs["l"]] == entity[pairs["r"]]
    return {
        "n": len(data),
        "entities": int(entity.max()) + 1,
        "true_pairs": data.true_pair_count(),
        "entity": entity,
        "pairs": pairs,
        "records": records,
        "result": result,
        "scores": synthetic.pairwise_scores(result.clusters, data.truth()),
        "wall": wall,
        "cpu": cpu,
    }


def _record_features(rec: Any) -> dict[str, np.ndarray]:
    """Per-record cheap features (no truth): missing flags, token and key frequencies."""
    out: dict[str, np.ndarray] = {}
    out["dob_null"] = rec["dob"].isna().to_numpy()
    out["year_null"] = rec["birth_year"].isna().to_numpy()
    out["year_only"] = out["dob_null"] & ~out["year_null"]
    for c in ("nik", "phone", "father", "area", "sex", "birth_place"):
        out[f"{c}_null"] = rec[c].isna().to_numpy()
    tokens = rec["phon_sorted"].fillna("").str.split(" ")
    out["n_tokens"] = tokens.map(lambda t: sum(1 for x in t if x)).to_numpy()
    exploded = tokens.explode()
    exploded = exploded[exploded != ""]
    freq = exploded.map(exploded.value_counts())
    size = len(rec)
    out["tok_min_freq"] = freq.groupby(level=0).min().reindex(range(size)).fillna(0).to_numpy()
    out["tok_max_freq"] = freq.groupby(level=0).max().reindex(range(size)).fillna(0).to_numpy()
    for name, keys in KEYS.items():
        sub = rec[keys].copy()
        sub["_one"] = 1
        out[name] = sub.groupby(keys, dropna=True)["_one"].transform("size").fillna(0).to_numpy()
    return out


def _matrix(run: dict[str, Any], keep: np.ndarray | None) -> tuple[list[str], np.ndarray]:
    """The 41 pair features (float32; levels + 1, so missing = 0) of the kept pairs."""
    import pandas as pd

    pairs, rec = run["pairs"], run["records"]
    n = run["n"]
    l_all, r_all = pairs["l"], pairs["r"]
    strong = pairs["match_weight"] > 0
    deg = np.bincount(l_all, minlength=n) + np.bincount(r_all, minlength=n)
    sdeg = np.bincount(l_all[strong], minlength=n) + np.bincount(r_all[strong], minlength=n)
    sel = slice(None) if keep is None else keep
    left, right = l_all[sel], r_all[sel]
    per_record = _record_features(rec)
    columns: dict[str, Any] = {}
    columns["match_weight"] = lambda: pairs["match_weight"][sel]
    columns["mw_tf_adj_name"] = lambda: pairs["mw_tf_adj_name"][sel]
    for f in FIELDS:
        columns[f"lvl_{f}"] = lambda f=f: pairs[f"lvl_{f}"][sel].astype(np.int16) + 1
    for c in NULL_FLAGS:
        v = per_record[c]
        columns[f"{c}_sum"] = lambda v=v: v[left].astype(np.int8) + v[right].astype(np.int8)
    for c in COUNTS:
        v = per_record[c]
        columns[f"{c}_min"] = lambda v=v: np.minimum(v[left], v[right])
        columns[f"{c}_max"] = lambda v=v: np.maximum(v[left], v[right])
    phon = rec["phon_sorted"].to_numpy(dtype=object)
    area = rec["area"].to_numpy(dtype=object)
    year = rec["birth_year"].to_numpy(dtype=float, na_value=np.nan)
    columns["same_phon"] = lambda: (phon[left] == phon[right]) & pd.notna(phon[left])
    columns["same_area"] = lambda: (area[left] == area[right]) & pd.notna(area[left])
    columns["year_diff"] = lambda: np.abs(year[left] - year[right])
    columns["deg_min"] = lambda: np.minimum(deg[left], deg[right])
    columns["deg_max"] = lambda: np.maximum(deg[left], deg[right])
    columns["sdeg_min"] = lambda: np.minimum(sdeg[left], sdeg[right])
    columns["sdeg_max"] = lambda: np.maximum(sdeg[left], sdeg[right])
    names = list(columns)
    matrix = np.empty((len(left), len(names)), dtype=np.float32)
    for j, name in enumerate(names):
        matrix[:, j] = np.asarray(columns[name](), dtype=np.float32)
    return names, matrix


def _prf(tp: int, predicted: int, true: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 1.0
    r = tp / true if true else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _pairwise(linked: np.ndarray, same: np.ndarray, true: int) -> tuple[float, float, float]:
    return _prf(int((linked & same).sum()), int(linked.sum()), true)


def _clustered(run: dict[str, Any], probability: np.ndarray) -> tuple[float, float, float]:
    """Clusters of the pairs at probability ≥ 0.5 (the run's clustering), scored by pairs."""
    pairs, entity = run["pairs"], run["entity"]
    roots, _ = cluster(run["n"], pairs["l"], pairs["r"], probability, 0.5, link_floor=0.5)
    roots = np.asarray(roots, dtype=np.int64)

    def pair_count(keys: np.ndarray) -> int:
        _, counts = np.unique(keys, return_counts=True, axis=0)
        return int((counts * (counts - 1) // 2).sum())

    both = pair_count(np.stack([roots, entity], axis=1))
    return _prf(both, pair_count(roots), run["true_pairs"])


def _best_threshold(score: np.ndarray, same: np.ndarray, true: int) -> tuple[float, ...]:
    order = np.argsort(-score, kind="stable")
    tp = np.cumsum(same[order])
    k = np.arange(1, len(order) + 1)
    i = int(np.argmax(2 * tp / (k + true)))
    return (*_prf(int(tp[i]), int(k[i]), true), float(score[order[i]]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--train-seed", type=int, default=6)
    parser.add_argument("--test-seed", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=200, help="boosting iterations")
    parser.add_argument(
        "--max-train", type=int, default=1_000_000, help="training pairs (uniform sample)"
    )
    args = parser.parse_args(argv)
    try:
        from sklearn.ensemble import HistGradientBoostingClassifier
    except ImportError:
        print("bench_dedupe_ceiling needs scikit-learn: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    if args.train_seed == args.test_seed:
        parser.error(
            "--train-seed and --test-seed must differ (the classifier is tested out of sample)"
        )

    t0, c0 = time.perf_counter(), time.process_time()
    train = _captured_run(args.records, args.train_seed)
    n_train_pairs = len(train["pairs"]["l"])
    keep = None
    if n_train_pairs > args.max_train:
        keep = np.sort(np.random.default_rng(0).permutation(n_train_pairs)[: args.max_train])
    names, x_train = _matrix(train, keep)
    y_train = train["pairs"]["same"] if keep is None else train["pairs"]["same"][keep]
    train_scores, train_wall = train["scores"], train["wall"]
    del train
    gc.collect()

    test = _captured_run(args.records, args.test_seed)
    pairs, true = test["pairs"], test["true_pairs"]
    same = pairs["same"]
    result = test["result"]
    threshold = result.threshold
    _, x_test = _matrix(test, None)
    weight = pairs["match_weight"]
    run_probability = 1.0 / (1.0 + np.exp2(-weight))

    rows: list[tuple[str, tuple[float, ...]]] = []
    scores = test["scores"]
    rows.append(
        (
            "run (main), clusters — bench_dedupe's figure",
            (scores["precision"], scores["recall"], scores["f1"]),
        )
    )
    rows.append(
        ("run, links ≥ threshold, pairwise", _pairwise(run_probability >= threshold, same, true))
    )
    best = _best_threshold(weight, same, true)
    rows.append((f"run's weight, truth-chosen threshold ({best[3]:+.2f} bits), pairwise", best[:3]))

    fits = []
    for label, cols in (("levels + weight", BASE), ("levels + weight + cheap features", names)):
        index = [names.index(c) for c in cols]
        t = time.perf_counter()
        model = HistGradientBoostingClassifier(
            max_iter=args.iterations,
            learning_rate=0.1,
            max_leaf_nodes=63,
            categorical_features=[c.startswith("lvl_") for c in cols],
            early_stopping=False,
            random_state=0,
        )
        model.fit(x_train[:, index], y_train)
        step = 1_000_000
        probability = np.concatenate(
            [
                model.predict_proba(x_test[i : i + step, index])[:, 1]
                for i in range(0, len(x_test), step)
            ]
        )
        fits.append(f"{label} {time.perf_counter() - t:.0f} s")
        rows.append(
            (
                f"classifier on {label} ({len(cols)} columns), pairwise",
                _pairwise(probability >= 0.5, same, true),
            )
        )
        rows.append(("– clustered", _clustered(test, probability)))
        del model, probability
        gc.collect()
    rows.append(
        (
            "perfect decision on the candidates, pairwise",
            _prf(int(same.sum()), int(same.sum()), true),
        )
    )
    rows.append(("– clustered", _clustered(test, same.astype(np.float64))))
    analysis_wall = time.perf_counter() - t0 - train_wall - test["wall"]
    total_cpu = time.process_time() - c0
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2

    in_candidates = int(same.sum())
    lines = [
        f"### Deduplication ceiling, {args.records:,} synthetic records",
        "",
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine_line()}",
        f"- command: `python benchmarks/bench_dedupe_ceiling.py --records {args.records} "
        f"--train-seed {args.train_seed} --test-seed {args.test_seed} "
        f"--iterations {args.iterations} --max-train {args.max_train}`",
        f"- data (hard generator): test seed {args.test_seed}, {test['n']:,} records of "
        f"{test['entities']:,} entities, {true:,} true pairs; train seed {args.train_seed} "
        f"(its run's clustered F1 {train_scores['f1']:.4f})",
        f"- runs: test {test['wall']:.1f} s wall / {test['cpu']:.1f} s CPU, train "
        f"{train_wall:.1f} s wall; threshold chosen in the test run {threshold:.3f}; model "
        f"`{result.model_version}` adapted in each run",
        f"- classifier: scikit-learn HistGradientBoostingClassifier, {args.iterations} "
        f"iterations, trained on {len(y_train):,} of the train run's {n_train_pairs:,} "
        f"candidates; fit + predict: {', '.join(fits)}",
        f"- analysis (features, fits, clustering) {analysis_wall:.0f} s wall; whole script "
        f"{total_cpu:.0f} s CPU; peak memory (max RSS) {peak_gb:.1f} GB",
        "",
        "| candidates | true pairs among them | true pairs | blocking recall |",
        "|---|---|---|---|",
        f"| {len(same):,} | {in_candidates:,} | {true:,} | {in_candidates / true:.4f} |",
        "",
        "| figure (test seed) | precision | recall | F1 |",
        "|---|---|---|---|",
    ]
    lines += [f"| {label} | {p:.4f} | {r:.4f} | {f:.4f} |" for label, (p, r, f) in rows]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
