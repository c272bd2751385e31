"""Clustering scored pairs into people without chaining common names together, and its metrics.

Connected components are transitive: one wrong link between two *Siti Aminah* clusters, or
a chain Siti A – Siti B – Siti C where A and C share nothing, merges them all. Here pairs
are merged best first (highest match weight first), and two clusters are joined only if
enough of the pairs *between* them are links themselves: at least ``support`` of all
cross pairs must have a match probability of ``link_floor`` or more (average linkage on
the link graph). Two records join on their own link; a record joins a pair only if it
links to at least one of the two (support 0.5), a trio only if it links to two of the
three, and so on — a chain through common names stops where its ends do not agree.
Two clusters of two or more records each join only if two thirds of their cross pairs
are links (:data:`MERGE_SUPPORT`): both already say who a person is, and namesakes of a
dense area (one shared name token, the same birth date) link across them more often than
one person's copies fail to.
A record the support rule leaves on its own joins the one cluster all its links go to
when its strongest link there is strong (:data:`ATTACH_ODDS`; :func:`_attach_lone`).

:func:`cluster_metrics` reports pairwise, B-cubed and exact-cluster precision and recall
against known entities.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["ATTACH_ODDS", "MERGE_SUPPORT", "SUPPORT", "cluster", "cluster_metrics", "find_root"]

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
#: the share of cross pairs that must be links for two clusters of two or more records each
#: to merge (a wrong merge of two such clusters puts |A|·|B| wrong pairs in one cluster)
MERGE_SUPPORT = 2.0 / 3.0
#: a record left on its own joins the one cluster it links to when its strongest link there
#: has at least this many times the threshold's odds (8: three bits of match weight above it)
ATTACH_ODDS = 8.0


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
    attach_odds: float | None = ATTACH_ODDS,
    merge_support: float = MERGE_SUPPORT,
) -> tuple[list[int], int]:
    """Cluster root (smallest member position) per position, and how many edges were refused.

    ``left``/``right``/``probability``: the scored pairs (positions 0..n-1), which must
    include every pair at or above ``min(link_floor, threshold)``. Pairs at or above
    ``threshold`` are the edges that may merge clusters; pairs at or above ``link_floor``
    count as links when the support between two clusters is measured. ``cannot_link``:
    pairs a reviewer said are different people — never put in one cluster.
    ``attach_odds``: see :func:`_attach_lone` (None: records the support rule leaves
    alone stay alone). ``merge_support``: the share of links required between two
    clusters of two or more records each (at least ``support``).

    Every decision (a merge, a record moving) looks only at links, so it stays inside one
    connected component of the link graph. Components are found vectorised; a component of
    two records (most of them) is one link, merged if at or above ``threshold``; only the
    larger ones, and any a reviewer's "not the same person" touches, go through the
    greedy merging and the moving passes below — with the same result as running them on
    the whole graph. The result does not depend on the order of the pairs (they are taken
    best first, then by position), so a run on the same records gives the same clusters.
    """
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    floor = min(link_floor, threshold)
    a_all = np.asarray(left, dtype=np.int64)
    b_all = np.asarray(right, dtype=np.int64)
    p_all = np.asarray(probability, dtype=float)
    is_link = p_all >= floor
    la, lb = a_all[is_link], b_all[is_link]
    graph = coo_matrix((np.ones(len(la), dtype=np.int8), (la, lb)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    size = np.bincount(component)
    general = size[component] > 2  # records in components of three or more
    touched = np.zeros(len(size), dtype=bool)
    if len(cannot_link):
        touched[component[np.asarray(cannot_link, dtype=np.int64).ravel()]] = True
        general |= touched[component] & (size[component] > 1)
    roots = np.arange(n, dtype=np.int64)
    # components of two records: one link (maybe repeated), merged if at or above threshold
    pair = ~general[a_all] & (p_all >= threshold)
    roots[np.maximum(a_all[pair], b_all[pair])] = np.minimum(a_all[pair], b_all[pair])
    if support <= 1:
        whole = _complete(n, la, lb, p_all[is_link], threshold, component, ~touched)
        # every two records of the component link at or above threshold (most components:
        # the records of one person): the greedy merge joins them all (every cross pair is
        # a link) and none would move, so the component is one cluster
        inside = whole[component]
        first = np.unique(component, return_index=True)[1]  # smallest position per component
        roots[inside] = first[component[inside]]
        general &= ~inside
    refused = 0
    keep = general[a_all] & (p_all >= floor)
    if keep.any():
        sub_roots, refused = _greedy(
            a_all[keep],
            b_all[keep],
            p_all[keep],
            threshold,
            floor,
            support,
            cannot_link,
            component,
            merge_support=max(support, merge_support),
        )
        nodes = np.fromiter(sub_roots, dtype=np.int64, count=len(sub_roots))
        roots[nodes] = np.fromiter(sub_roots.values(), dtype=np.int64, count=len(sub_roots))
        if attach_odds is not None:
            odds = attach_odds * threshold / (1.0 - threshold)
            roots = _attach_lone(
                roots, a_all[keep], b_all[keep], p_all[keep], odds / (1.0 + odds), cannot_link
            )
    return roots.tolist(), refused


def _attach_lone(
    roots: Any,
    left: Any,
    right: Any,
    probability: Any,
    strong: float,
    cannot_link: Sequence[tuple[int, int]],
) -> Any:
    """Records the support rule left on their own, attached to the cluster they link to.

    A record that links to one member of a cluster of three but not to the others (a sparse
    record that agrees with the one copy written like it) gives that cluster a support of
    1/3, so the greedy pass refuses it and the moving passes leave it alone, however strong
    the link. Here a record alone, all of whose links (``left``/``right``, every pair at or
    above the link floor) go to one cluster of two or more, joins it when its strongest
    link there has probability ``strong`` or more. It cannot chain two clusters: a record
    linked to two clusters stays alone. Decided on the clusters as the moving passes left
    them; returns the roots (smallest member position) per position.
    """
    import numpy as np

    size = np.bincount(roots, minlength=len(roots))
    x = np.concatenate([left, right])
    y = np.concatenate([right, left])
    p = np.concatenate([probability, probability])
    lone = size[roots[x]] == 1
    x, cy, p = x[lone], roots[y[lone]], p[lone]
    if not len(x):
        return roots
    # one row per (record, cluster it links to): the strongest link to that cluster
    order = np.lexsort((-p, cy, x))
    x, cy, p = x[order], cy[order], p[order]
    first = np.ones(len(x), dtype=bool)
    first[1:] = (x[1:] != x[:-1]) | (cy[1:] != cy[:-1])
    x, cy, p = x[first], cy[first], p[first]
    clusters = np.bincount(x, minlength=len(roots))
    join = (clusters[x] == 1) & (p >= strong) & (size[cy] >= 2)
    x, cy = x[join], cy[join]
    if len(cannot_link) and len(x):
        apart: dict[int, set[int]] = {}
        for a, b in cannot_link:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)
        members = {int(c): set(np.flatnonzero(roots == c).tolist()) for c in set(cy.tolist())}
        ok = np.array(
            [
                not (apart.get(a, set()) & members[c])
                for a, c in zip(x.tolist(), cy.tolist(), strict=True)
            ],
            dtype=bool,
        )
        x, cy = x[ok], cy[ok]
    if not len(x):
        return roots
    roots = roots.copy()
    roots[x] = cy
    smallest = np.arange(len(roots), dtype=np.int64)
    np.minimum.at(smallest, roots, np.arange(len(roots), dtype=np.int64))
    return smallest[roots]


def _complete(
    n: int, left: Any, right: Any, probability: Any, threshold: float, component: Any, free: Any
) -> Any:
    """Per component: True where every two of its records (three or more) are a pair at or
    above ``threshold`` and no pair of it lies below (a link too weak to merge on leaves the
    greedy merge its say). ``free``: per component, no reviewer's "not the same person"."""
    import numpy as np

    size = np.bincount(component)
    inside = (size[component[left]] > 2) & (left != right)
    a, b, p = left[inside], right[inside], probability[inside]
    key = np.unique(np.minimum(a, b) * n + np.maximum(a, b))  # a pair given twice counts once
    pairs = np.bincount(component[key // n], minlength=len(size))
    weak = np.bincount(component[a[p < threshold]], minlength=len(size))
    return free & (size > 2) & (pairs == size * (size - 1) // 2) & (weak == 0)


def _greedy(
    left: Any,
    right: Any,
    probability: Any,
    threshold: float,
    floor: float,
    support: float,
    cannot_link: Sequence[tuple[int, int]],
    component: Any,
    merge_support: float | None = None,
) -> tuple[dict[int, int], int]:
    """Best-first merging with the support rule, then the moving passes, on the records of
    the given links (all at or above ``floor``): record → smallest member of its cluster.
    ``merge_support``: the share required when both clusters have two or more records
    (None: ``support``)."""
    both_support = support if merge_support is None else merge_support
    import numpy as np

    # ties (equal support for two clusters) go to the neighbour seen first, so the links are
    # taken in one fixed order, best first, whatever order the pairs came in
    given = np.lexsort((right, left, -probability))
    left, right, probability = left[given], right[given], probability[given]
    apart: dict[int, set[int]] = {}
    for a, b in cannot_link:
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    neighbours: dict[int, set[int]] = {}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    edge = probability >= threshold
    ea, eb, ep = left[edge], right[edge], probability[edge]
    order = np.lexsort((eb, ea, -ep))
    parent = {x: x for x in neighbours}
    members: dict[int, list[int]] = {}

    def find(x: int) -> int:
        return find_root(parent, x)

    refused = 0
    for a, b in zip(ea[order].tolist(), eb[order].tolist(), strict=True):
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
            share = both_support if len(ma) > 1 and len(mb) > 1 else support
            if links < share * len(ma) * len(mb):
                refused += 1
                continue
        if rb < ra:
            ra, rb, ma, mb = rb, ra, mb, ma
        parent[rb] = ra
        members[ra] = ma + mb
        members.pop(rb, None)
    roots = {x: find(x) for x in neighbours}
    comp = dict(
        zip(roots, component[np.fromiter(roots, np.int64, len(roots))].tolist(), strict=True)
    )
    roots, moved = _refine(roots, neighbours, support, apart, comp)
    refused += moved
    smallest: dict[int, int] = {}
    for i in sorted(roots):
        smallest.setdefault(roots[i], i)
    return {i: smallest[r] for i, r in roots.items()}, refused


def _refine(
    roots: dict[int, int],
    neighbours: Mapping[int, set[int]],
    support: float,
    apart: Mapping[int, set[int]],
    component: Mapping[int, int],
    passes: int = 3,
) -> tuple[dict[int, int], int]:
    """Move records to the cluster they link to best (a wrong early link between two
    records is accepted by the greedy pass, and then pulls one of them into the wrong
    cluster): a record whose own cluster gives it less support than another cluster does
    moves there; one with too little support anywhere stands alone. ``component``: each
    record's connected component (a move changes nothing outside its own)."""
    members: dict[int, set[int]] = {}
    for i, r in roots.items():
        members.setdefault(r, set()).add(i)
    moved = 0
    todo = sorted(neighbours)
    for _ in range(passes):
        changed = 0
        dirty: set[int] = set()
        for x in todo:
            own = roots[x]
            size = len(members[own])
            links: dict[int, int] = {}
            for y in neighbours[x]:
                c = roots[y]
                links[c] = links.get(c, 0) + 1
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
            dirty.add(component[x])
        moved += changed
        if not changed:
            break
        # a component where nobody moved looks the same to every record in the next pass,
        # so its records would decide as they just did: only the others are looked at again
        todo = [x for x in todo if component[x] in dirty]
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
