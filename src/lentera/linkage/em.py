"""Fellegi–Sunter parameters re-estimated on the data at hand: EM with a prior, on agreement patterns.

Pure numpy, shared by the deduplication engine (:mod:`lentera.linkage.dedupe`) and the
privacy-preserving matcher (:mod:`lentera.linkage.pprl`). The input is the set of candidate
pairs a run produced, summarised as *agreement patterns*: for each pair, the comparison
level reached by every field (``-1`` = missing on one side), counted once per distinct
pattern — a million candidate pairs reduce to a few thousand rows, so EM takes
milliseconds.

The model is a two-class mixture over the candidate pairs: matches, with level
probabilities ``m``, and non-matches among the candidates, with level probabilities
``u_candidates`` (not the u of random pairs: candidates share blocking keys, so their
non-matches agree far more often than random pairs do). Fields are independent given the
class; a missing field contributes nothing.

*Prior.* ``m`` is estimated by maximum a posteriori with a Dirichlet prior centred on the
shipped model's m (``prior_m``), worth ``prior_strength`` pairs per field: on a small data
set the shipped model dominates, on a large one the data do. Labelled pairs (reviewers'
merge / "not the same person" decisions) enter with their class fixed, each counted
``label_weight`` times.

*Start.* Initialised with the model's m and its u of random pairs (``start_u``), EM starts
from the shipped model's reading of the candidates; initialised with the candidates' own
level frequencies as u, both classes would describe the same pairs and the match class
would collapse when most candidates are matches.

*Leave one out.* Each field's m is estimated with match responsibilities that are the
geometric mean of the full posterior and the posterior from the *other* fields only: with
blocked candidates the non-matches agree on several fields at once (they share blocking
keys), which breaks the independence the model assumes, and plain EM then lets one field
(e.g. places that differ) define the non-match class by itself, so that field is never
learnt among matches (FEBRL4: same name and birth date, other suburb, scored 0.49). The
mean keeps the full posterior's grip where the other fields are weak (FEBRL3 has only
name, date and suburb; leave-one-out alone there drifts to no matches at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["EMResult", "expected_f1_threshold", "fit"]

_FLOOR = 1e-6


@dataclass(frozen=True)
class EMResult:
    """m and u (candidates) per field in level order, the share of matches, and convergence."""

    m: list[np.ndarray]
    u_candidates: list[np.ndarray]
    match_share: float  # the estimated share of matches among the candidate pairs
    expected_matches: float  # Σ count · P(match) over the unlabelled candidate pairs
    posterior: np.ndarray  # P(match | pattern) per input pattern
    iterations: int
    converged: bool


def _log_likelihoods(
    patterns: np.ndarray, m: Sequence[np.ndarray], u: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    log_m = np.zeros(len(patterns))
    log_u = np.zeros(len(patterns))
    for f in range(patterns.shape[1]):
        level = patterns[:, f]
        known = level >= 0
        log_m[known] += np.log(m[f][level[known]])
        log_u[known] += np.log(u[f][level[known]])
    return log_m, log_u


def _sigmoid(logit: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(logit, -700, 700)))
    return out


def _normalised(values: np.ndarray) -> np.ndarray:
    values = np.maximum(values, _FLOOR)
    out: np.ndarray = values / values.sum()
    return out


def fit(
    patterns: np.ndarray,
    counts: np.ndarray,
    n_levels: Sequence[int],
    prior_m: Sequence[np.ndarray],
    *,
    prior_strength: float | Sequence[float] = 100.0,
    labels: np.ndarray | None = None,
    label_weight: float = 1.0,
    start_u: Sequence[np.ndarray] | None = None,
    start_share: float = 0.1,
    max_share: float = 1.0,
    max_iterations: int = 200,
    tolerance: float = 1e-5,
) -> EMResult:
    """MAP-EM over agreement patterns.

    ``patterns``: (P, F) int levels (-1 missing); ``counts``: (P,) how many candidate pairs
    have each pattern; ``prior_m``: per field, m per level (index = level). ``labels``:
    (P,) NaN for unlabelled patterns, 1.0 / 0.0 for a labelled match / non-match (a
    labelled pair is its own pattern row with count 1). ``prior_strength`` may be given
    per field (a field whose m is known is held by a very large one). ``max_share`` bounds the share of
    matches among the unlabelled candidates (e.g. a one-to-one link of files of sizes a and
    b has at most min(a, b) matches): without it EM may read a large class of similar
    non-matches (namesakes born the same year) as the matches.
    """
    patterns = np.asarray(patterns, dtype=np.int64)
    counts = np.asarray(counts, dtype=float)
    if labels is None:
        labels = np.full(len(counts), np.nan)
    labelled = ~np.isnan(labels)
    weight = np.where(labelled, counts * label_weight, counts)
    n_fields = patterns.shape[1]
    strengths = (
        [float(prior_strength)] * n_fields
        if isinstance(prior_strength, int | float)
        else [float(x) for x in prior_strength]
    )
    prior = [_normalised(np.asarray(p, dtype=float)) for p in prior_m]
    m = [p.copy() for p in prior]
    if start_u is not None:
        # start from the model's own view (its u of random pairs): the first E-step then
        # sorts the candidates as the shipped model would, and EM moves on from there
        u = [_normalised(np.asarray(x, dtype=float)) for x in start_u]
    else:
        u = []
        for f in range(n_fields):
            known = patterns[:, f] >= 0
            freq = np.bincount(patterns[known, f], weights=weight[known], minlength=n_levels[f])
            u.append(_normalised(freq + 1.0))
    share = min(float(start_share), max_share)
    converged = False
    iteration = 0
    posterior = np.zeros(len(counts))
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - reported
        base = np.log(share) - np.log1p(-share)
        contributions = []
        for f in range(n_fields):
            level = patterns[:, f]
            known = level >= 0
            c = np.zeros(len(counts))
            c[known] = np.log(m[f][level[known]]) - np.log(u[f][level[known]])
            contributions.append(c)
        logit = base + np.sum(contributions, axis=0)
        posterior = _sigmoid(logit)
        new_m, new_u = [], []
        for f in range(n_fields):
            # leave-one-out, damped (see the module docstring)
            r_full = np.where(labelled, labels, posterior)
            r = np.sqrt(np.where(labelled, labels, _sigmoid(logit - contributions[f])) * r_full)
            level = patterns[:, f]
            known = level >= 0
            in_m = np.bincount(level[known], weights=(weight * r)[known], minlength=n_levels[f])
            in_u = np.bincount(
                level[known], weights=(weight * (1 - r_full))[known], minlength=n_levels[f]
            )
            new_m.append(_normalised(in_m + strengths[f] * prior[f]))
            new_u.append(_normalised(in_u + 1e-3))
        free = ~labelled
        total = float(weight[free].sum())
        new_share = float((weight * posterior)[free].sum() / total) if total else share
        new_share = min(max(new_share, 1e-9), 1 - 1e-9, max_share)
        delta = max(
            abs(new_share - share),
            *(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True)),
        )
        m, u, share = new_m, new_u, new_share
        if delta < tolerance:
            converged = True
            break
    log_m, log_u = _log_likelihoods(patterns, m, u)
    posterior = _sigmoid(np.log(share) - np.log1p(-share) + log_m - log_u)
    free = ~labelled
    return EMResult(
        m=m,
        u_candidates=u,
        match_share=share,
        expected_matches=float((counts * posterior)[free].sum()),
        posterior=posterior,
        iterations=iteration,
        converged=converged,
    )


def expected_f1_threshold(
    probabilities: np.ndarray, counts: np.ndarray, floor: float = 0.5
) -> tuple[float, float]:
    """The probability cut-off that maximises the expected F1, and that expected F1.

    Treats each candidate pair's probability as the chance it is a match: above a cut-off t
    the expected true positives are Σ p and false positives Σ (1 − p); below it the
    expected missed matches are Σ p. ``probabilities`` and ``counts`` describe the
    distribution (e.g. a histogram of the run's match probabilities). The cut-off is never
    below ``floor`` (a pair more likely different than the same is never linked).
    """
    order = np.argsort(-probabilities, kind="stable")
    p = np.asarray(probabilities, dtype=float)[order]
    c = np.asarray(counts, dtype=float)[order]
    total = float((p * c).sum())
    if total <= 0:
        return max(floor, 0.5), 0.0
    tp = np.cumsum(p * c)
    fp = np.cumsum((1 - p) * c)
    f1 = 2 * tp / (2 * tp + fp + (total - tp))
    eligible = p >= floor
    if not eligible.any():
        return max(floor, 0.5), 0.0
    f1 = np.where(eligible, f1, -1.0)
    best = int(np.argmax(f1))
    return float(p[best]), float(f1[best])
