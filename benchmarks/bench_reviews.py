"""Learning from reviewers: F1 before and after 100 and 500 simulated review decisions.

    .venv/bin/python benchmarks/bench_reviews.py [--records 20000] [--seed 5]

A labelled synthetic set (``lentera.linkage.synthetic``, the hard generator). A first run
without labels gives the candidate pairs and their probabilities; a simulated reviewer
then decides the pairs the web app would show first as doubtful — those whose
probability is nearest the run's threshold — with the true answer (merge / not the same
person). The run is repeated with the first 100 and the first 500 decisions as labels
(``dedupe.dedupe(labels=…)``). Reported: pairwise precision/recall/F1 of the clusters, and
the estimate from 500 further reviewed pairs (not used as labels) (``dedupe.review_estimates``) that the web
app would show the organisation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

from lentera.linkage import dedupe, synthetic
from lentera.linkage.cluster import cluster_metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    data = synthetic.generate(args.records, seed=args.seed)
    columns = {k: list(v) for k, v in data.columns.items()}
    truth = data.truth()
    first = dedupe.dedupe(columns)
    pool = dedupe.dedupe(columns, threshold=0.05)  # the doubtful pairs a reviewer sees
    order = sorted(pool.pairs, key=lambda p: abs(p.probability - first.threshold))
    decisions = [
        (p.record_id_l, p.record_id_r, truth[p.record_id_l] == truth[p.record_id_r]) for p in order
    ]
    rows = []
    for n_reviews in (0, 100, 500):
        labels = decisions[:n_reviews]
        t = time.perf_counter()
        result = first if n_reviews == 0 else dedupe.dedupe(columns, labels=labels)
        wall = time.perf_counter() - t
        scores = cluster_metrics(result.clusters, truth)
        estimate = dedupe.review_estimates(result, decisions[500:1000])  # not used as labels
        rows.append((n_reviews, result, scores, estimate, wall))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"### Learning from reviewers, {args.records:,} synthetic records (hard generator)",
        "",
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; 2 shared cores, load {load}",
        f"- command: `python benchmarks/bench_reviews.py --records {args.records} --seed {args.seed}`",
        "- reviews: the pairs nearest the first run's threshold, decided with the truth",
        "",
        "| reviewed pairs | threshold | precision | recall | F1 | estimate from 500 other reviewed pairs (P / R) |",
        "|---|---|---|---|---|---|",
    ]
    for n_reviews, result, scores, estimate, _ in rows:
        p = "–" if estimate.precision is None else f"{estimate.precision:.3f}"
        r = "–" if estimate.recall is None else f"{estimate.recall:.3f}"
        lines.append(
            f"| {n_reviews} | {result.threshold:.3f} | {scores['pairwise_precision']:.4f} | "
            f"{scores['pairwise_recall']:.4f} | **{scores['pairwise_f1']:.4f}** | {p} / {r} |"
        )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
