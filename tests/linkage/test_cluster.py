"""Clustering that does not chain common names, and cluster-level metrics."""

from __future__ import annotations

from lentera.linkage.cluster import cluster, cluster_metrics


def test_a_chain_of_weak_links_is_cut_where_its_ends_disagree() -> None:
    # 0-1-2-3-4: each record links only to its neighbours (a chain of Siti Aminahs);
    # connected components would make one cluster of five
    left, right = [0, 1, 2, 3], [1, 2, 3, 4]
    probs = [0.99, 0.98, 0.97, 0.96]
    roots, refused = cluster(5, left, right, probs, threshold=0.9)
    assert len(set(roots)) >= 2
    assert refused >= 1


def test_a_true_cluster_with_one_missing_link_stays_whole() -> None:
    # four copies of one person: five of the six pairs link, one pair (0, 3) is weak
    left = [0, 0, 1, 1, 2, 0]
    right = [1, 2, 2, 3, 3, 3]
    probs = [0.99, 0.99, 0.99, 0.98, 0.97, 0.2]
    roots, refused = cluster(4, left, right, probs, threshold=0.9)
    assert roots == [0, 0, 0, 0]
    assert refused == 0


def test_two_cliques_joined_by_one_wrong_link_stay_apart() -> None:
    a = [(0, 1), (0, 2), (1, 2)]
    b = [(3, 4), (3, 5), (4, 5)]
    pairs = [*a, *b, (2, 3)]
    roots, refused = cluster(
        6, [p[0] for p in pairs], [p[1] for p in pairs], [0.99] * 6 + [0.995], threshold=0.9
    )
    assert roots == [0, 0, 0, 3, 3, 3]
    assert refused >= 1


def test_metrics_pairwise_bcubed_and_exact_clusters() -> None:
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 3}
    perfect = cluster_metrics({"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}, truth)
    assert all(v == 1.0 for v in perfect.values())
    split = cluster_metrics({"a": "x", "b": "x", "c": "w", "d": "y", "e": "z"}, truth)
    assert split["pairwise_precision"] == 1.0
    assert split["pairwise_recall"] == 1 / 3
    assert split["cluster_recall"] == 2 / 3  # d and e reproduced, a-b-c not
    assert split["bcubed_precision"] == 1.0
    assert 0.6 < split["bcubed_recall"] < 0.8


# three copies of one person (0, 1, 2) linked to each other; record 3 is a sparse note (a
# name and a year) that reads like copy 0 only: one link of three, support 1/3
_TRIO = [(0, 1, 0.99), (0, 2, 0.99), (1, 2, 0.99)]


def _run(pairs: list[tuple[int, int, float]], n: int, **kw: object) -> list[int]:
    roots, _ = cluster(
        n, [p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs], 0.5, **kw
    )
    return roots


def test_a_lone_record_strongly_linked_to_one_member_joins_its_cluster() -> None:
    assert _run([*_TRIO, (2, 3, 0.97)], 4) == [0, 0, 0, 0]
    assert _run([*_TRIO, (2, 3, 0.97)], 4, attach_odds=None) == [0, 0, 0, 3]


def test_a_lone_record_linked_to_two_clusters_joins_neither() -> None:
    # Siti Aminah, born 1990, and nothing else: she links as strongly to a copy of one Siti
    # Aminah (0, 1, 2) as to a copy of another (4, 5, 6), so she must not chain them
    other = [(4, 5, 0.99), (4, 6, 0.99), (5, 6, 0.99)]
    roots = _run([*_TRIO, *other, (0, 3, 0.97), (3, 4, 0.96)], 7)
    assert roots == [0, 0, 0, 3, 4, 4, 4]


def test_a_lone_record_with_a_weak_link_or_a_reviewers_no_stays_alone() -> None:
    assert _run([*_TRIO, (2, 3, 0.8)], 4) == [0, 0, 0, 3]
    assert _run([*_TRIO, (2, 3, 0.97)], 4, cannot_link=[(0, 3)]) == [0, 0, 0, 3]
