"""Reviewers' decisions as labels: they bind the clusters, inform the EM, and estimate P/R."""

from __future__ import annotations

import itertools

from lentera.linkage import dedupe, synthetic


def test_labels_bind_clusters_and_estimate_precision_recall() -> None:
    data = synthetic.generate(3000, seed=12)
    columns = {k: list(v) for k, v in data.columns.items()}
    truth = data.truth()
    first = dedupe.dedupe(columns)
    linked = [
        p for p in first.pairs if first.clusters[p.record_id_l] == first.clusters[p.record_id_r]
    ]
    wrong_link = linked[0]
    ids = sorted(truth)
    apart = next(
        (a, b)
        for a, b in itertools.pairwise(ids)
        if truth[a] == truth[b] and first.clusters[a] != first.clusters[b]
    )
    labels = [
        (wrong_link.record_id_l, wrong_link.record_id_r, False),  # "not the same person"
        (apart[0], apart[1], True),  # a merge
    ]
    second = dedupe.dedupe(columns, labels=labels)
    assert second.clusters[wrong_link.record_id_l] != second.clusters[wrong_link.record_id_r]
    assert second.clusters[apart[0]] == second.clusters[apart[1]]
    estimate = dedupe.review_estimates(first, labels)
    assert estimate.reviewed == 2 and estimate.merged == 1
    assert estimate.precision == 0.0  # the one reviewed pair the run linked was refused
    assert estimate.recall == 0.0  # the one merged pair the run had kept apart


def test_review_estimates_without_decisions_say_nothing() -> None:
    result = dedupe.dedupe(synthetic.generate(200, seed=3).columns)
    estimate = dedupe.review_estimates(result, [])
    assert estimate.reviewed == 0 and estimate.precision is None and estimate.recall is None
