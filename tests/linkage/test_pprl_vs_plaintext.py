"""PPRL loses little accuracy to the encoding: F1 within 0.03 of plaintext linkage on the same data.

Two organisations' files are cut from one synthetic data set (A: one record per person;
B: a second, messier record where there is one, plus other people). "Plaintext linkage"
is the same comparison without the encoding: weighted bigram Dice on the same fields,
in the same birth-year blocks, with the same one-to-one assignment. Each side is taken
at its best threshold of a small grid (a balanced Bloom filter's Dice runs higher than
plain Dice, so one shared threshold would misjudge one of them). The full model on
plaintext (Splink) is also checked to stay ahead: PPRL is the privacy trade, not a
replacement for deduplication inside one organisation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pytest

from lentera.linkage import dedupe, pprl, synthetic

sparse = pytest.importorskip("scipy.sparse")

N = 2500


def _files() -> tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]:
    data = synthetic.generate(N * 4, seed=31)
    first: dict[int, dict[str, str]] = {}
    second: dict[int, dict[str, str]] = {}
    for record, entity in zip(data.records(), data.entity.tolist(), strict=True):
        if entity not in first:
            first[entity] = record
        elif entity not in second:
            second[entity] = record
    entities = list(first)
    a = [dict(first[e], record_id="a" + first[e]["record_id"]) for e in entities[:N]]
    b = [
        dict(second[e], record_id="b" + second[e]["record_id"]) for e in entities[:N] if e in second
    ]
    b = (b + [dict(first[e], record_id="b" + first[e]["record_id"]) for e in entities[N:]])[:N]
    b_ids = {r["record_id"] for r in b}
    truth = {
        ("a" + first[e]["record_id"], "b" + second[e]["record_id"])
        for e in entities[:N]
        if e in second and "b" + second[e]["record_id"] in b_ids
    }
    return a, b, truth


def _plain_candidates(
    a: Sequence[Mapping[str, str]], b: Sequence[Mapping[str, str]], threshold: float
) -> list[tuple[float, str, str]]:
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
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(len(records), 10**6))
        return matrix, np.asarray(matrix.sum(axis=1)).ravel(), np.array(blocks)

    ma, wa, ba = vectors(a)
    mb, wb, bb = vectors(b)
    out = []
    for block in set(ba.tolist()) & set(bb.tolist()):
        ia, ib = np.nonzero(ba == block)[0], np.nonzero(bb == block)[0]
        inter = (ma[ia] @ (mb[ib] > 0).astype(float).T).toarray()
        dice = 2 * inter / (wa[ia][:, None] + wb[ib][None, :])
        for i, j in zip(*np.nonzero(dice >= threshold), strict=True):
            out.append((float(dice[i, j]), a[ia[i]]["record_id"], b[ib[j]]["record_id"]))
    return out


def _f1(pairs: list[pprl.MatchPair], truth: set[tuple[str, str]]) -> float:
    found = {(p.a_record_id, p.b_record_id) for p in pairs}
    tp = len(found & truth)
    return 2 * tp / (len(found) + len(truth)) if tp else 0.0


def _best(
    candidates: list[tuple[float, str, str]], grid: Sequence[float], truth: set[tuple[str, str]]
) -> float:
    return max(_f1(pprl._assign([c for c in candidates if c[0] >= t]), truth) for t in grid)


def test_pprl_f1_within_003_of_plaintext() -> None:
    a, b, truth = _files()
    key = b"test coalition secret of some length"
    encoded = pprl._candidates(pprl.encode(a, key), pprl.encode(b, key), 0.7)
    pprl_f1 = _best(encoded, (0.72, 0.74, 0.76, 0.78, 0.8), truth)
    plain_f1 = _best(_plain_candidates(a, b, 0.5), (0.5, 0.55, 0.6, 0.65, 0.7), truth)
    assert pprl_f1 >= plain_f1 - 0.03, (pprl_f1, plain_f1)
    assert pprl_f1 >= 0.8, pprl_f1

    result = dedupe.dedupe(a + b, threshold=0.5)
    cross = [
        (p.probability, *sorted((p.record_id_l, p.record_id_r)))
        for p in result.pairs
        if p.record_id_l[0] != p.record_id_r[0] and p.probability >= dedupe.DEFAULT_THRESHOLD
    ]
    assert _f1(pprl._assign(cross), truth) >= pprl_f1


def test_match_is_unchanged_by_the_faster_matcher() -> None:
    """The public ``match`` equals a direct, unchunked Dice over every same-block pair."""
    a, b, _ = _files()
    key = b"another secret of enough length"
    ea, eb = pprl.encode(a[:300], key), pprl.encode(b[:300], key)
    expected = []
    for x in ea:
        for y in eb:
            if x.block != y.block:
                continue
            bits_x = np.unpackbits(np.frombuffer(x.bits, dtype=np.uint8))
            bits_y = np.unpackbits(np.frombuffer(y.bits, dtype=np.uint8))
            dice = 2 * int((bits_x & bits_y).sum()) / int(bits_x.sum() + bits_y.sum())
            if dice >= 0.75:
                expected.append((round(dice, 4), x.record_id, y.record_id))
    assert pprl.match(ea, eb, 0.75) == pprl._assign(expected)
