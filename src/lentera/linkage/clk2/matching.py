"""Matching two files of ``lentera-clk/2`` encodings: a Fellegi–Sunter model on field levels.

Candidate pairs from shared blocking keys (a block larger than :data:`BLOCK_CAP` on either
side is skipped); per field a comparison level (:data:`LEVELS`: Dice bands for the filters —
a salted name filter only between records of the same year or area —, equal or not for
tokens, the date's day/month swap and the place's area from tokens); a Fellegi–Sunter
model whose u comes from random pairs of the two files (the name's from random pairs of
the same year, the matches among them taken out) and whose m is read from the candidates
that share a NIK or phone where there are enough of them, else estimated by EM
(:mod:`lentera.linkage.em`) from a built-in prior with its matches bounded (one-to-one;
pairs agreeing on an identity); a term-frequency adjustment of the same-name level from
the candidates; the threshold that maximises the expected F1; one-to-one assignment.
A field is compared only where both records carry it, so files of different revisions
match on what they share.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lentera.linkage import em
from lentera.linkage.clk2.encoding import (
    BLOCK_CAP,
    FILTER_BITS,
    TOKENS,
    EncodingV2,
    file_revision,
)

__all__ = ["LEVELS", "Match", "match"]

#: comparison levels per field (index 0 = best); -1 = missing on a side
LEVELS = {
    "name": ("Dice ≥ 0.9", "Dice ≥ 0.75", "Dice ≥ 0.6", "Dice ≥ 0.45", "names differ"),
    "date": (
        "same date",
        "day and month swapped",
        "two of day, month, year agree",
        "same year, day unknown on one side",
        "same year",
        "dates differ",
    ),
    "place": ("Dice ≥ 0.8", "same area", "Dice ≥ 0.5", "places differ"),
    "nik": ("same NIK", "NIKs differ"),
    "phone": ("same phone", "phones differ"),
    "sex": ("same sex", "sex differs"),
}
#: the prior m per level (what a match usually looks like), before EM on the data
PRIOR_M = {
    "name": (0.6, 0.2, 0.1, 0.05, 0.05),
    "date": (0.8, 0.03, 0.05, 0.05, 0.05, 0.02),
    "place": (0.6, 0.2, 0.1, 0.1),
    "nik": (0.9, 0.1),
    "phone": (0.95, 0.05),
    "sex": (0.98, 0.02),
}
#: u per level for random pairs, before the files' own random pairs are counted (small files)
PRIOR_U = {
    "name": (0.0005, 0.001, 0.004, 0.02, 0.9745),
    "date": (0.0001, 0.0001, 0.003, 0.003, 0.027, 0.9668),
    "place": (0.02, 0.01, 0.03, 0.94),
    "nik": (1e-6, 1 - 1e-6),
    "phone": (1e-6, 1 - 1e-6),
    "sex": (0.5, 0.5),
}
#: the share of true matches assumed to agree on name + date, NIK or phone (bounds EM's matches)
DETERMINISTIC_RECALL = 0.5
#: pairs sharing a NIK or phone needed to read m from them instead of EM, and PRIOR_M's worth
ANCHOR_MIN = 200
ANCHOR_PRIOR_PAIRS = 10.0
#: random pairs' worth of PRIOR_U
U_PRIOR_PAIRS = 20_000.0
#: match weights are capped at ± this many bits (certain either way)
WEIGHT_CAP = 30.0
#: the term-frequency adjustment gives a name no namesake shares at most log2(1/TF_FLOOR) bits
TF_FLOOR = 0.25


@dataclass(frozen=True)
class Match:
    a_record_id: str
    b_record_id: str
    score: float  # match probability


def _filter_matrix(encodings: Sequence[EncodingV2], field: str) -> tuple[np.ndarray, np.ndarray]:
    """(uint64 words per record, present?) for one field's filter."""
    words = FILTER_BITS[field] // 64
    empty = bytes(FILTER_BITS[field] // 8)
    raw = b"".join(e.filters.get(field, empty) for e in encodings)
    matrix = np.frombuffer(raw, dtype=np.uint64).reshape(len(encodings), words)
    present = np.array([field in e.filters for e in encodings], dtype=bool)
    return matrix, present


def _token_codes(
    a: Sequence[EncodingV2], b: Sequence[EncodingV2], field: str
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a token per record (-1 missing), comparable across the two files."""
    vocab: dict[str, int] = {}
    ca = np.array(
        [vocab.setdefault(e.tokens[field], len(vocab)) if field in e.tokens else -1 for e in a]
    )
    cb = np.array(
        [vocab.setdefault(e.tokens[field], len(vocab)) if field in e.tokens else -1 for e in b]
    )
    return ca, cb


def _dice(ma: np.ndarray, mb: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    out = np.empty(len(ia))
    step = 200_000
    for s in range(0, len(ia), step):
        x, y = ma[ia[s : s + step]], mb[ib[s : s + step]]
        inter = np.bitwise_count(x & y).sum(axis=1)
        total = np.bitwise_count(x).sum(axis=1) + np.bitwise_count(y).sum(axis=1)
        out[s : s + step] = np.where(total > 0, 2.0 * inter / np.maximum(total, 1), 0.0)
    return out


class _Fields:
    """Everything needed to compute comparison levels for any (i, j) pairs."""

    def __init__(self, a: Sequence[EncodingV2], b: Sequence[EncodingV2]) -> None:
        self.filters = {f: (_filter_matrix(a, f), _filter_matrix(b, f)) for f in FILTER_BITS}
        self.tokens = {t: _token_codes(a, b, t) for t in TOKENS}

    def levels(self, ia: np.ndarray, ib: np.ndarray, *, name_only: bool = False) -> np.ndarray:
        """Levels of pairs (i, j), one column per field of :data:`LEVELS` (-1: missing);
        ``name_only`` fills the name's column alone."""
        n = len(ia)
        out = np.full((n, len(LEVELS)), -1, dtype=np.int64)

        def dice(field: str, where: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
            """Dice of a filter, computed only for the pairs where it is compared."""
            (ma, pa), (mb, pb) = self.filters[field]
            known = pa[ia] & pb[ib]
            if where is not None:
                known &= where
            at = np.nonzero(known)[0]
            d = np.zeros(n)
            d[at] = _dice(ma, mb, ia[at], ib[at])
            return d, known

        # the name filters are salted (birth year; area): only comparable between records
        # of the same year (or both without one) or of the same area
        year_a, year_b = self.tokens["year"]
        area_a, area_b = self.tokens["area"]
        same_area = (area_a[ia] >= 0) & (area_a[ia] == area_b[ib])
        d_year, known_year = dice("name", year_a[ia] == year_b[ib])
        d_area, known_area = dice("name_area", same_area)
        d = np.maximum(d_year, d_area)
        known = known_year | known_area
        out[:, 0] = np.where(known, np.digitize(-d, [-0.9, -0.75, -0.6, -0.45]), -1)
        if name_only:
            return out
        d, known = dice("date")
        dob_a, dob_b = self.tokens["dob"]
        same_dob = (dob_a[ia] >= 0) & (dob_a[ia] == dob_b[ib])
        same_year = (year_a[ia] >= 0) & (year_a[ia] == year_b[ib])
        partial = (dob_a[ia] < 0) | (dob_b[ib] < 0)
        # the year with day and month unordered (revision 2): equal when they were swapped
        dmy_a, dmy_b = self.tokens["dmy"]
        swapped = (dmy_a[ia] >= 0) & (dmy_a[ia] == dmy_b[ib])
        year_level = np.where(partial, 3, 4)
        date = np.where(same_year, year_level, 5)
        date = np.where(same_dob, 0, np.where(swapped, 1, np.where(d >= 0.6, 2, date)))
        out[:, 1] = np.where(known, date, -1)
        # the place: its filter (birth place bigrams, regency), and the area token (the
        # regency, else the regency the birth place names): a regency on one side and its
        # name as the birth place on the other are the same area
        d, known = dice("place")
        place = np.where(d >= 0.8, 0, np.where(same_area, 1, np.where(d >= 0.5, 2, 3)))
        out[:, 2] = np.where(known, place, -1)
        for column, token in ((3, "nik"), (4, "phone"), (5, "sex")):
            ca, cb = self.tokens[token]
            x, y = ca[ia], cb[ib]
            out[:, column] = np.where((x < 0) | (y < 0), -1, np.where(x == y, 0, 1))
        return out


def _candidates(a: Sequence[EncodingV2], b: Sequence[EncodingV2]) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) of every pair sharing a blocking key whose block has at most BLOCK_CAP records
    on each side, each pair once. Vectorised: a loop over the blocks (a million at 100k)
    was 40 % of the match time."""
    vocab: dict[str, int] = {}
    key_a = [vocab.setdefault(k, len(vocab)) for e in a for k in e.blocks]
    row_a = np.repeat(np.arange(len(a)), [len(e.blocks) for e in a])
    pairs_b = [(vocab[k], j) for j, e in enumerate(b) for k in e.blocks if k in vocab]
    if not pairs_b:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    kb, rb = (np.array(x, dtype=np.int64) for x in zip(*pairs_b, strict=True))
    ka = np.array(key_a, dtype=np.int64)
    size_a = np.bincount(ka, minlength=len(vocab))
    size_b = np.bincount(kb, minlength=len(vocab))
    usable = (size_a <= BLOCK_CAP) & (size_b <= BLOCK_CAP) & (size_b > 0)
    keep_a, keep_b = usable[ka], usable[kb]
    ka, ra = ka[keep_a], row_a[keep_a]
    order = np.argsort(kb[keep_b], kind="stable")
    rb = rb[keep_b][order]
    start_b = np.concatenate([[0], np.cumsum(size_b * usable)])[:-1]
    # each record of A in a block meets every record of B in it
    per = size_b[ka]
    first = np.repeat(start_b[ka], per)
    within = np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
    flat = np.unique(np.repeat(ra, per) * len(b) + rb[first + within])
    return flat // len(b), flat % len(b)


def _same_token_pairs(
    codes: tuple[np.ndarray, np.ndarray], n: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` random pairs (i, j) whose token (year, area) is the same on both sides."""
    ca, cb = codes
    order = np.argsort(cb, kind="stable")
    sorted_b = cb[order]
    ia = rng.integers(0, len(ca), n)
    lo = np.searchsorted(sorted_b, ca[ia], side="left")
    hi = np.searchsorted(sorted_b, ca[ia], side="right")
    ok = hi > lo
    ia, lo, hi = ia[ok], lo[ok], hi[ok]
    ib = order[lo + (rng.random(len(ia)) * (hi - lo)).astype(np.int64)]
    return ia, ib


def _name_frequency_adjustment(
    levels: np.ndarray,
    ia: np.ndarray,
    ib: np.ndarray,
    years: tuple[np.ndarray, np.ndarray],
    u_same: float,
) -> np.ndarray:
    """Term-frequency adjustment (bits) of the same-name level, from the candidates themselves.

    A name shared by many records of a birth year (Siti Aminah) says less than a rare one.
    Its frequency is read from the candidate pairs: for a record of A, the share of B's
    records of its year that have the same name (Dice ≥ 0.9) among its candidates other
    than the pair itself, and the same from B's side; the larger of the two (at least
    :data:`TF_FLOOR` of it) replaces the average u of the level. Only what the matcher
    already sees (which candidates have near-identical name filters) is used.
    """
    ya, yb = years
    same = (levels[:, 0] == 0) & (ya[ia] >= 0) & (ya[ia] == yb[ib])
    out = np.zeros(len(ia))
    if not same.any():
        return out
    per_a = np.bincount(ia[same], minlength=len(ya)).astype(float)
    per_b = np.bincount(ib[same], minlength=len(yb)).astype(float)
    codes = int(max(ya.max(), yb.max())) + 1
    year_a = np.bincount(ya[ya >= 0], minlength=codes).astype(float)
    year_b = np.bincount(yb[yb >= 0], minlength=codes).astype(float)
    i, j, y = ia[same], ib[same], ya[ia[same]]
    # the pair itself is one of the same-name candidates: a name nobody else of the year
    # shares is rare, not 1 in the year's size (which for most names is more than u_same)
    others = np.maximum(per_a[i] - 1, 0) / year_b[y], np.maximum(per_b[j] - 1, 0) / year_a[y]
    u_tf = np.maximum(np.maximum(*others), u_same * TF_FLOOR)
    out[same] = np.log2(u_same / u_tf)
    return out


def _anchored_m(patterns: np.ndarray, counts: np.ndarray) -> list[np.ndarray] | None:
    """m per field read from the candidates that share a NIK or a phone, if there are enough.

    Equal keyed NIK or phone tokens are (nearly) always the same person, and whether two
    records share one says little about how their names, dates and places were written:
    so those pairs show what matches look like field by field, with no EM to mistake a
    crowd of namesakes for the matches. NIK's own m comes from pairs that share a phone or
    the name and date; the phone's from pairs that share a NIK or the name and date; the
    date's, sex's and place's from pairs that share a phone (if enough do).
    None when fewer than :data:`ANCHOR_MIN` pairs share a NIK or phone (then EM estimates
    m from the built-in prior).
    """
    names = list(LEVELS)
    col = {n: patterns[:, i] for i, n in enumerate(names)}
    nik, phone = col["nik"] == 0, col["phone"] == 0
    name_date = (col["name"] == 0) & (col["date"] == 0)
    if float(counts[nik | phone].sum()) < ANCHOR_MIN:
        return None
    # a missing date, sex or regency is completed from a valid NIK (dedupe.prepare), so
    # pairs sharing a NIK agree on those by construction: their m comes from phones
    by_phone = float(counts[phone].sum()) >= ANCHOR_MIN
    rows = {"nik": phone | name_date, "phone": nik | name_date}
    rows |= {n: phone for n in ("date", "sex", "place") if by_phone}
    out = []
    for i, n in enumerate(names):
        chosen = rows.get(n, nik | phone) & (patterns[:, i] >= 0)
        seen = np.bincount(patterns[chosen, i], weights=counts[chosen], minlength=len(LEVELS[n]))
        out.append(em._normalised(seen + ANCHOR_PRIOR_PAIRS * np.array(PRIOR_M[n])))
    return out


def _max_share(patterns: np.ndarray, counts: np.ndarray, smaller: int) -> float:
    """The most matches EM may find among the candidates, as a share of them.

    At most one match per record of the smaller file (one-to-one), and at most the pairs
    that agree on an identity (same name and date, same NIK or same phone) over an assumed
    recall of those rules (:data:`DETERMINISTIC_RECALL`): otherwise EM can read the many
    namesakes born the same year that blocking brings together as the matches.
    """
    names = list(LEVELS)
    name, date = patterns[:, names.index("name")], patterns[:, names.index("date")]
    identity = (
        ((name == 0) & (date == 0))
        | (patterns[:, names.index("nik")] == 0)
        | (patterns[:, names.index("phone")] == 0)
    )
    bound = min(float(smaller), float(counts[identity].sum()) / DETERMINISTIC_RECALL)
    return min(1.0, max(bound, 1.0) / max(float(counts.sum()), 1.0))


def match(
    a: Sequence[EncodingV2],
    b: Sequence[EncodingV2],
    threshold: float | None = None,
    *,
    seed: int = 1,
) -> tuple[list[Match], dict[str, Any]]:
    """One-to-one matches between two files of ``lentera-clk/2`` encodings, and a run report.

    ``threshold`` is a match probability; None chooses the one that maximises the expected
    F1 of the run (reported).
    """
    revisions = [file_revision(a, "file A"), file_revision(b, "file B")]
    if not a or not b:
        return [], {"candidate_pairs": 0, "threshold": threshold, "revisions": revisions}
    fields = _Fields(a, b)
    ia, ib = _candidates(a, b)
    rng = np.random.default_rng(seed)
    n_random = min(300_000, len(a) * len(b))
    ra, rb = rng.integers(0, len(a), n_random), rng.integers(0, len(b), n_random)
    random_levels = fields.levels(ra, rb)
    # the salted name filters compare only records of the same year or area: their u is
    # that of random pairs of the same year / area, not of random pairs (most incomparable)
    same_year = _same_token_pairs(fields.tokens["year"], n_random, rng)
    salted = fields.levels(*same_year, name_only=True)[:, 0]
    names = list(LEVELS)
    u = []
    for f, name in enumerate(names):
        col = salted if name == "name" else random_levels[:, f]
        counts = np.bincount(col[col >= 0], minlength=len(LEVELS[name])).astype(float)
        counts += U_PRIOR_PAIRS * np.array(PRIOR_U[name])
        u.append(counts / counts.sum())
    if not len(ia):
        return [], {"candidate_pairs": 0, "threshold": threshold, "revisions": revisions}
    levels = fields.levels(ia, ib)
    patterns, inverse, counts = np.unique(levels, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    prior = [np.array(PRIOR_M[n], dtype=float) for n in names]
    anchored = _anchored_m(patterns, counts.astype(float))
    fit = em.fit(
        patterns,
        counts.astype(float),
        [len(LEVELS[n]) for n in names],
        prior if anchored is None else anchored,
        # m read from the anchor pairs is kept as it is (the date's too: EM on all the
        # candidates read the namesakes of the same name and area as matches whose dates
        # differ, m of "dates differ" 0.27 where the true pairs have 0.004 — hard synthetic
        # data, 20k); EM then only finds how many matches there are
        prior_strength=100.0 if anchored is None else 1e12,
        start_u=u,
        max_share=_max_share(patterns, counts, min(len(a), len(b))),
    )
    expected = max(fit.expected_matches, 1.0)
    lam = min(0.5, expected / (len(a) * len(b)))
    # random pairs of the same year hold a share of matches (1 in 50 when every record of
    # one file has its match in the other and a year has 50 records): take them out of u
    ya, yb = fields.tokens["year"]
    values, in_a = np.unique(ya, return_counts=True)
    in_b = np.array([np.count_nonzero(yb == v) for v in values], dtype=float)
    share = min(0.5, expected / max(float((in_a * in_b).sum()), 1.0))
    clean = np.maximum(u[0] - share * fit.m[0], u[0] * 0.05)
    u[0] = clean / clean.sum()
    weight = np.full(len(patterns), math.log2(lam / (1 - lam)))
    for f in range(len(names)):
        known = patterns[:, f] >= 0
        weight[known] += np.log2(fit.m[f][patterns[known, f]] / u[f][patterns[known, f]])
    pair_weight = weight[inverse] + _name_frequency_adjustment(
        levels, ia, ib, (ya, yb), float(u[0][0])
    )
    # beyond WEIGHT_CAP bits a pair is certain; uncapped, pairs of 60 and 40 bits both had
    # probability 1.0 to the expected-F1 search, which on a small file of sure matches
    # chose the cut-off 1.0 and dropped the 40-bit pairs (0.99999999…)
    # rounded to 0.01 bit once: the cut-off is searched over the rounded weights, and a
    # pair compared unrounded fell just below the cut-off its own rounded weight set
    pair_weight = np.round(np.clip(pair_weight, -WEIGHT_CAP, WEIGHT_CAP), 2)
    prob = 1.0 / (1.0 + np.exp2(-pair_weight))
    chosen = threshold
    expected_f1 = None
    if chosen is None:
        rounded, n_at = np.unique(pair_weight, return_counts=True)
        chosen, expected_f1 = em.expected_f1_threshold(
            1.0 / (1.0 + np.exp2(-rounded)), n_at.astype(float)
        )
    keep = np.nonzero(prob >= chosen)[0]
    order = keep[np.argsort(-prob[keep], kind="stable")]
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for k in order.tolist():
        i, j = int(ia[k]), int(ib[k])
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append(Match(a[i].record_id, b[j].record_id, round(float(prob[k]), 6)))
    report = {
        "candidate_pairs": len(ia),
        "threshold": round(float(chosen), 4),
        "threshold_chosen": threshold is None,
        "expected_f1": None if expected_f1 is None else round(expected_f1, 4),
        "expected_matches": round(fit.expected_matches, 1),
        "em_iterations": fit.iterations,
        "revisions": revisions,
    }
    return out, report
