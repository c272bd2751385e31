"""Evaluating privacy-preserving linkage against plaintext linkage on the same data.

Used by the PPRL accuracy test and by ``benchmarks/bench_pprl.py``: two organisations' files
built from the synthetic generator with known true pairs, the plaintext baseline (the same
weighted bigram Dice on the same fields and birth-year blocks as :mod:`lentera.linkage.pprl`,
without the encoding), and pairwise precision/recall/F1 after one-to-one assignment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from lentera.linkage import pprl, synthetic

__all__ = ["best_over", "plaintext_candidates", "scores", "two_organisations"]


def two_organisations(
    n: int, seed: int
) -> tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]:
    """Files A and B of ``n`` records each and the true (a, b) pairs."""
    data = synthetic.generate(n * 4, seed=seed)
    first: dict[int, dict[str, str]] = {}
    second: dict[int, dict[str, str]] = {}
    for record, entity in zip(data.records(), data.entity.tolist(), strict=True):
        if entity not in first:
            first[entity] = record
        elif entity not in second:
            second[entity] = record
    entities = list(first)
    a_entities = entities[:n]
    a = [dict(first[e], record_id="a" + first[e]["record_id"]) for e in a_entities]
    b = [dict(second[e], record_id="b" + second[e]["record_id"]) for e in a_entities if e in second]
    b += [dict(first[e], record_id="b" + first[e]["record_id"]) for e in entities[n:]]
    b = b[:n]
    b_ids = {r["record_id"] for r in b}
    truth = {
        ("a" + first[e]["record_id"], "b" + second[e]["record_id"])
        for e in a_entities
        if e in second and "b" + second[e]["record_id"] in b_ids
    }
    return a, b, truth


def plaintext_candidates(
    a: Sequence[Mapping[str, str]], b: Sequence[Mapping[str, str]], threshold: float
) -> list[tuple[float, str, str]]:
    """Weighted bigram Dice on the plain fields that ``pprl`` encodes, in the same blocks."""
    from scipy import sparse

    vocab: dict[tuple[str, str, str], int] = {}

    def vectors(records: Sequence[Mapping[str, str]]) -> tuple[object, np.ndarray, np.ndarray]:
        rows, cols, vals, blocks = [], [], [], []
        for i, record in enumerate(records):
            values, year = pprl._fields(record)
            blocks.append(year)
            for field, items in values.items():
                salt = year if field == "name" else ""
                for gram in {g for item in items for g in pprl._bigrams(item)}:
                    rows.append(i)
                    cols.append(vocab.setdefault((field, salt, gram), len(vocab)))
                    vals.append(float(pprl.FIELDS[field]))
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(records), 1 + 10**7))
        return matrix, np.asarray(matrix.sum(axis=1)).ravel(), np.array(blocks)

    ma, wa, ba = vectors(a)
    mb, wb, bb = vectors(b)
    out = []
    for block in set(ba.tolist()) & set(bb.tolist()):
        ia, ib = np.nonzero(ba == block)[0], np.nonzero(bb == block)[0]
        inter = (ma[ia] @ (mb[ib] > 0).astype(float).T).toarray()
        dice = 2 * inter / (wa[ia][:, None] + wb[ib][None, :])
        rows, cols = np.nonzero(dice >= threshold)
        for i, j, s in zip(rows.tolist(), cols.tolist(), dice[rows, cols].tolist(), strict=True):
            out.append((round(s, 4), a[ia[i]]["record_id"], b[ib[j]]["record_id"]))
    return out


def scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def best_over(
    candidates: list[tuple[float, str, str]], grid: Sequence[float], truth: set[tuple[str, str]]
) -> tuple[float, dict[str, float]]:
    results = []
    for t in grid:
        pairs = pprl._assign([c for c in candidates if c[0] >= t])
        results.append((t, scores({(p.a_record_id, p.b_record_id) for p in pairs}, truth)))
    return max(results, key=lambda r: r[1]["f1"])
