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

from collections.abc import Sequence

import numpy as np

from lentera.linkage import dedupe, pprl
from lentera.linkage.evaluation import best_over, plaintext_candidates, scores, two_organisations

N = 2500


def _files() -> tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]:
    return two_organisations(N, seed=31, hard=False)  # the /1 encoding's own benchmark data


def _f1(pairs: list[pprl.MatchPair], truth: set[tuple[str, str]]) -> float:
    return scores({(p.a_record_id, p.b_record_id) for p in pairs}, truth)["f1"]


def _best(
    candidates: list[tuple[float, str, str]], grid: Sequence[float], truth: set[tuple[str, str]]
) -> float:
    return best_over(candidates, grid, truth)[1]["f1"]


def test_pprl_f1_within_003_of_plaintext() -> None:
    a, b, truth = _files()
    key = b"test coalition secret of some length"
    encoded = pprl._candidates(pprl.encode(a, key), pprl.encode(b, key), 0.7)
    pprl_f1 = _best(encoded, (0.72, 0.74, 0.76, 0.78, 0.8), truth)
    plain_f1 = _best(plaintext_candidates(a, b, 0.5), (0.5, 0.55, 0.6, 0.65, 0.7), truth)
    assert pprl_f1 >= plain_f1 - 0.03, (pprl_f1, plain_f1)
    assert pprl_f1 >= 0.8, pprl_f1

    result = dedupe.dedupe(a + b, threshold=0.5)
    cross = [
        (p.probability, *sorted((p.record_id_l, p.record_id_r)))
        for p in result.pairs
        if p.record_id_l[0] != p.record_id_r[0] and p.probability >= dedupe.DEFAULT_THRESHOLD
    ]
    assert _f1(pprl.assign_one_to_one(cross), truth) >= pprl_f1


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
    assert pprl.match(ea, eb, 0.75) == pprl.assign_one_to_one(expected)
