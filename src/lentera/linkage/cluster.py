"""Clustering scored pairs into people without chaining common names together, and its metrics.

Connected components are transitive: one wrong link between two *Siti Aminah* clusters, or
a chain Siti A – Siti B – Siti C where A and C share nothing, merges them all. Here pairs
are merged best first (highest match weight first), and two clusters are joined only if
enough of the pairs *between* them are links themselves: at least ``support`` of all
cross pairs must have a match probability of ``link_floor`` or more (average linkage on
the link graph). Two records join on their own link; a record joins a pair only if it
links to at least one of the two (support 0.5), a trio only if it links to two of the
three, and so on — a chain through common names stops where its ends do not agree.

:func:`cluster_metrics` reports pairwise, B-cubed and exact-cluster precision and recall
against known entities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["SUPPORT", "cluster", "cluster_metrics", "find_root"]

T = TypeVar("T")


class Parents(Protocol[T]):
    """A union-find forest: each element's parent (a root is its own parent)."""

    def __getitem__(self, element: T, /) -> T: ...
    def __setitem__(self, element: T, parent: T, /) -> None: ...


def find_root(parent: Parents[T], x: T) -> T:
    """The root of ``x``'s set in the forest ``parent``, halving the path on the way."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


#: the share of cross pairs that must be links for two clusters to merge
SUPPORT = 0.5


def cluster(
    n: int,
    left: Sequence[int],
    right: Sequence[int],
    probability: Sequence[float],
    threshold: float,
    *,
    link_floor: float = 0.5,
    support: float = SUPPORT,
    cannot_link: Sequence[tuple[int, int]] = (),
) -> tuple[list[int], int]:
    """Cluster root (smallest member position) per position, and how many edges were refused.

    ``left``/``right``/``probability``: the scored pairs (positions 0..n-1), which must
    include every pair at or above ``min(link_floor, threshold)``. Pairs at or above
    ``threshold`` are the edges that may merge clusters; pairs at or above ``link_floor``
    count as links when the support between two clusters is measured. ``cannot_link``:
    pairs a reviewer said are different people — never put in one cluster.
    """
    apart: dict[int, set[int]] = {}
    for a, b in cannot_link:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    floor = min(link_floor, threshold)
    neighbours: dict[int, set[int]] = {}
    edges = []
    for a, b, p in zip(left, right, probability, strict=True):
        if p >= floor:
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
        if p >= threshold:
            edges.append((p, a, b))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    parent = list(range(n))
    members: dict[int, list[int]] = {}

    def find(x: int) -> int:
        return find_root(parent, x)

    refused = 0
    for _, a, b in edges:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        ma = members.get(ra, [ra])
        mb = members.get(rb, [rb])
        if apart and any(apart.get(x, set()) & set(mb) for x in ma):
            refused += 1
            continue
        if len(ma) * len(mb) > 1:
            small, large = (ma, set(mb)) if len(ma) <= len(mb) else (mb, set(ma))
            links = sum(len(neighbours.get(x, set()) & large) for x in small)
            if links < support * len(ma) * len(mb):
                refused += 1
                continue
        if rb < ra:
            ra, rb, ma, mb = rb, ra, mb, ma
        parent[rb] = ra
        members[ra] = ma + mb
        members.pop(rb, None)
    roots = [find(i) for i in range(n)]
    roots, moved = _refine(roots, neighbours, support, apart)
    refused += moved
    smallest: dict[int, int] = {}
    for i, r in enumerate(roots):
        if r not in smallest:
            smallest[r] = i
    return [smallest[r] for r in roots], refused


def _refine(
    roots: list[int],
    neighbours: Mapping[int, set[int]],
    support: float,
    apart: Mapping[int, set[int]],
    passes: int = 3,
) -> tuple[list[int], int]:
    """Move records to the cluster they link to best (a wrong early link between two
    records is accepted by the greedy pass, and then pulls one of them into the wrong
    cluster): a record whose own cluster gives it less support than another cluster does
    moves there; one with too little support anywhere stands alone."""
    members: dict[int, set[int]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, set()).add(i)
    moved = 0
    for _ in range(passes):
        changed = 0
        for x in sorted(neighbours):
            own = roots[x]
            size = len(members[own])
            links = Counter(roots[y] for y in neighbours[x])
            own_share = links.get(own, 0) / (size - 1) if size > 1 else 1.0
            best, best_share = own, own_share
            for c, k in links.items():
                if c == own:
                    continue
                share = k / len(members[c])
                if apart.get(x) and apart[x] & members[c]:
                    continue
                if share >= support and share > best_share:
                    best, best_share = c, share
            if best == own and own_share < support and size > 1:
                best = -1 - x  # a cluster of its own (ids of fresh clusters are negative)
            if best == own:
                continue
            members[own].discard(x)
            if not members[own]:
                del members[own]
            roots[x] = best
            members.setdefault(best, set()).add(x)
            changed += 1
        moved += changed
        if not changed:
            break
    return roots, moved


def cluster_metrics(
    predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]
) -> dict[str, float]:
    """Pairwise, B-cubed and exact-cluster precision/recall/F1 of a clustering.

    B-cubed: for each record, the share of its predicted cluster that truly belongs with
    it (precision) and the share of its true entity that was put with it (recall),
    averaged over records. Exact clusters: the share of predicted clusters (precision) and
    of true entities (recall) that are reproduced exactly.
    """
    ids = list(truth)

    def pairs(counter: Counter[Any]) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    pred_size = Counter(predicted[i] for i in ids)
    true_size = Counter(truth[i] for i in ids)
    both = Counter((predicted[i], truth[i]) for i in ids)
    pp, tp_pairs, hit = pairs(pred_size), pairs(true_size), pairs(both)
    out: dict[str, float] = {}

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    out["pairwise_precision"] = hit / pp if pp else 1.0
    out["pairwise_recall"] = hit / tp_pairs if tp_pairs else 1.0
    out["pairwise_f1"] = f1(out["pairwise_precision"], out["pairwise_recall"])
    n = len(ids)
    b_p = sum(both[(predicted[i], truth[i])] / pred_size[predicted[i]] for i in ids) / n
    b_r = sum(both[(predicted[i], truth[i])] / true_size[truth[i]] for i in ids) / n
    out["bcubed_precision"], out["bcubed_recall"], out["bcubed_f1"] = b_p, b_r, f1(b_p, b_r)
    exact = sum(1 for (pc, tc), c in both.items() if c == pred_size[pc] == true_size[tc])
    out["cluster_precision"] = exact / len(pred_size) if pred_size else 1.0
    out["cluster_recall"] = exact / len(true_size) if true_size else 1.0
    out["cluster_f1"] = f1(out["cluster_precision"], out["cluster_recall"])
    return out
