"""The public runs: :func:`dedupe`, :func:`link`, :func:`find_candidates`,
:func:`score_record_pairs`, :func:`train`, and :func:`review_estimates` of a run.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from lentera.errors import LenteraError
from lentera.linkage.cluster import cluster
from lentera.linkage.dedupe.adapt import (
    choose_threshold,
    distinct_weights,
    labelled_patterns,
    reestimate_m,
    reestimate_u,
    rescore,
)
from lentera.linkage.dedupe.comparisons import splink_settings
from lentera.linkage.dedupe.density import density_adjust
from lentera.linkage.dedupe.engine import Engine, missing_flags, pairs_from_table, query
from lentera.linkage.dedupe.features import prepare, prepare_table
from lentera.linkage.dedupe.model import (
    DEFAULT_THRESHOLD,
    DedupeModel,
    DedupeResult,
    RunReport,
    ScoredPair,
    model_from_settings,
    resolve_model,
)
from lentera.linkage.dedupe.places import place_adjust
from lentera.linkage.dedupe.tokens import token_adjust

#: pairs from this match probability count as links when clusters are checked for chaining
LINK_FLOOR = 0.5
#: the threshold argument that asks :func:`dedupe` to choose the threshold for the run
AUTO = "auto"


def dedupe(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
    threshold: float | str = AUTO,
    engine: str = "duckdb",
    model: DedupeModel | Path | None = None,
    *,
    adapt: bool = True,
    seed: int = 1,
    labels: Iterable[tuple[str, str, bool]] = (),
) -> DedupeResult:
    """Find duplicate records: scored, explained pairs ≥ ``threshold`` and their clusters.

    ``records`` use the ``lentera link`` layout (:data:`INPUT_FIELDS`; any field but
    record_id may be empty), as rows or as columns by field name. ``model`` is a
    :class:`DedupeModel`, a model file, or None for the shipped default. Every record gets
    a cluster id: the smallest record_id in its cluster (a singleton its own id).

    With ``adapt`` (the default) the model is only the starting point: u is re-estimated
    by random sampling and m and the prior by EM on this run's candidate pairs, with the
    model as the prior (:mod:`lentera.linkage.em`). ``threshold="auto"`` chooses the
    threshold that maximises the expected F1 under the run's match-probability
    distribution; the result's ``report`` says which threshold was used and why.

    ``labels`` are reviewers' decisions — (record_id, record_id, same person?) — that
    enter the EM with their class fixed (see :func:`review_estimates` for what they say
    about the run's precision and recall).
    """
    auto = threshold == AUTO
    if not auto and not (isinstance(threshold, (int, float)) and 0.0 < threshold < 1.0):
        raise LenteraError("threshold", "the threshold is a probability between 0 and 1 or 'auto'")
    model = resolve_model(model)
    ids, cols = prepare_table(records)
    n = len(ids)
    fixed = DEFAULT_THRESHOLD if auto else float(threshold)
    if n < 2:
        report = RunReport(fixed, False, None, 0, 0.0, 0, True, False)
        return DedupeResult({i: i for i in ids}, [], fixed, model.version, report, model)
    runner = Engine(engine)
    table = runner.register(cols)
    if not adapt:
        linker = runner.linker(table, splink_settings(model, runner.dialect, n))
        runner.register_blocked_pairs(linker, table)
        predictions = linker.inference.predict(
            threshold_match_probability=min(fixed, LINK_FLOOR), warning_mode="never"
        )
        report = RunReport(fixed, False, None, 0, 0.0, 0, True, False)
        return _result(ids, cols, predictions.as_pyarrow_table(), model, fixed, report)
    sampler = runner.linker(table, splink_settings(model, runner.dialect, n))
    prior_model = reestimate_u(sampler, model, n, seed)
    prior_model = DedupeModel(
        prior_model.version,
        prior_model.matches_per_record,
        distinct_weights(prior_model.levels),
        prior_model.trained_on,
    )
    linker = runner.linker(table, splink_settings(prior_model, runner.dialect, n))
    runner.register_blocked_pairs(linker, table)
    predictions = linker.inference.predict(warning_mode="never")
    labels = list(labels)
    labelled = labelled_patterns(runner, predictions, prior_model, ids, labels)
    adapted, fitted, n_candidates = reestimate_m(runner, predictions, prior_model, n, labelled)
    if fitted is None:  # no candidate pairs at all
        report = RunReport(fixed, False, None, 0, 0.0, 0, True, True)
        return DedupeResult({i: i for i in ids}, [], fixed, model.version, report, adapted)
    scored = rescore(runner, predictions, prior_model, adapted, n)
    scored, _ = token_adjust(runner, scored, table, adapted.levels["name"])
    scored, _ = place_adjust(runner, scored, table, adapted.levels["place"])
    scored, lowered = density_adjust(runner, scored, table, n, adapted.matches_per_record)
    expected = None
    if auto:
        fixed, expected = choose_threshold(runner, scored)
    floor = min(fixed, LINK_FLOOR)  # links below the threshold still count against chaining
    prior_weight = math.log2(floor / (1 - floor))
    above = query(
        runner,
        f"SELECT *, 1.0 / (1.0 + pow(2.0, -match_weight)) AS match_probability "  # noqa: S608
        f"FROM {scored.physical_name} WHERE match_weight >= {prior_weight!r}",
        f"__lentera_above_{scored.physical_name}",
    )
    report = RunReport(
        fixed,
        auto,
        expected,
        n_candidates,
        fitted.expected_matches,
        fitted.iterations,
        fitted.converged,
        True,
        density_lowered=lowered,
    )
    return _result(ids, cols, above.as_pyarrow_table(), adapted, fixed, report, labels)


def _result(
    ids: list[str],
    cols: Any,
    arrow: Any,
    model: DedupeModel,
    threshold: float,
    report: RunReport,
    labels: Iterable[tuple[str, str, bool]] = (),
) -> DedupeResult:
    """Explained pairs ≥ threshold and their clusters, from Splink's (or the rescored) pairs.

    Reviewers' decisions bind the clustering: a merge is a link, "not the same person"
    keeps the two records in different clusters.
    """
    import numpy as np

    labels = list(labels)
    missing = {f: (flags, flags) for f, flags in missing_flags(cols).items()}
    pairs = pairs_from_table(arrow, model, threshold, missing, ids, ids)
    # clustering works on positions in record_id order (a cluster's id is its smallest id)
    sorted_ids = np.argsort(np.asarray(ids, dtype=str), kind="stable")
    rank = np.empty(len(ids), dtype=np.int64)
    rank[sorted_ids] = np.arange(len(ids), dtype=np.int64)
    left = rank[arrow.column("uid_l").to_numpy()]
    right = rank[arrow.column("uid_r").to_numpy()]
    probs = arrow.column("match_probability").to_numpy()
    position = {uid: int(rank[i]) for i, uid in enumerate(ids)} if labels else {}
    merged, apart = [], []
    for a, b, same in labels:
        if a in position and b in position and a != b:
            if same:
                merged.append((position[a], position[b]))
            else:
                apart.append((position[a], position[b]))
    if merged:
        left = np.concatenate([left, np.array([a for a, _ in merged], dtype=np.int64)])
        right = np.concatenate([right, np.array([b for _, b in merged], dtype=np.int64)])
        probs = np.concatenate([probs, np.ones(len(merged))])
    roots, refused = cluster(
        len(ids), left, right, probs, threshold, link_floor=LINK_FLOOR, cannot_link=apart
    )
    smallest = sorted_ids[np.asarray(roots, dtype=np.int64)[rank]].tolist()
    clusters = dict(zip(ids, [ids[j] for j in smallest], strict=True))
    report = dataclasses.replace(report, refused_merges=refused)
    return DedupeResult(clusters, pairs, threshold, model.version, report, model)


@dataclass(frozen=True)
class ReviewEstimate:
    """What reviewers' decisions say about a run: precision and recall on the reviewed pairs."""

    reviewed: int  # reviewed pairs this run scored
    merged: int  # of which a reviewer said "same person"
    precision: float | None  # of reviewed pairs the run links, the share reviewers merged
    recall: float | None  # of reviewed pairs reviewers merged, the share the run links
    linked: int  # reviewed pairs the run links

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def review_estimates(
    result: DedupeResult, labels: Iterable[tuple[str, str, bool]]
) -> ReviewEstimate:
    """Estimated precision and recall of a run from the organisation's own reviewed pairs.

    A reviewed pair counts as linked when both records ended in one cluster. Reviewed
    pairs are not a random sample (reviewers see the doubtful ones), so these figures are
    estimates for the hard cases, usually below the run's overall precision and recall.
    """
    reviewed = merged = linked = linked_merged = 0
    for a, b, same in labels:
        if a not in result.clusters or b not in result.clusters or a == b:
            continue
        reviewed += 1
        together = result.clusters[a] == result.clusters[b]
        merged += bool(same)
        linked += together
        linked_merged += together and bool(same)
    return ReviewEstimate(
        reviewed=reviewed,
        merged=merged,
        precision=linked_merged / linked if linked else None,
        recall=linked_merged / merged if merged else None,
        linked=linked,
    )


class LinkPair(NamedTuple):
    """A record of file A and the record of file B it was linked to."""

    a_record_id: str
    b_record_id: str
    probability: float


def link(
    a: Iterable[Mapping[str, Any]],
    b: Iterable[Mapping[str, Any]],
    threshold: float | str = AUTO,
    *,
    one_to_one: bool = True,
    model: DedupeModel | Path | None = None,
) -> tuple[list[LinkPair], DedupeResult]:
    """Plaintext link of two files (e.g. two organisations that may share names).

    The two files are deduplicated as one (the model re-estimated on both), and the pairs
    that cross the files are kept — with ``one_to_one``, each record at most once, best
    first (for files without duplicates inside them). Returns the pairs and the run.
    """
    rows_a = [dict(r, record_id=f"a\x1f{r['record_id']}") for r in a]
    rows_b = [dict(r, record_id=f"b\x1f{r['record_id']}") for r in b]
    result = dedupe(rows_a + rows_b, threshold=threshold, model=model)
    cross: list[LinkPair] = []
    for pair in result.pairs:
        left, right = pair.record_id_l, pair.record_id_r
        if left[0] == right[0]:
            continue
        if left[0] == "b":
            left, right = right, left
        cross.append(LinkPair(left[2:], right[2:], pair.probability))
    cross.sort(key=lambda p: (-p.probability, p.a_record_id, p.b_record_id))
    if not one_to_one:
        return cross, result
    used_a: set[str] = set()
    used_b: set[str] = set()
    out = []
    for linked in cross:
        if linked.a_record_id in used_a or linked.b_record_id in used_b:
            continue
        used_a.add(linked.a_record_id)
        used_b.add(linked.b_record_id)
        out.append(linked)
    return out, result


def find_candidates(
    new_record: Mapping[str, Any],
    existing_records: Iterable[Mapping[str, Any]],
    threshold: float = 0.5,
    model: DedupeModel | Path | None = None,
    n_records: int | None = None,
) -> list[ScoredPair]:
    """Existing records that may be the same person as ``new_record`` (intake check).

    Compares the new record with every existing record (no blocking, so nothing is missed
    for want of a shared key; a few thousand records take well under a second), best first.
    ``record_id_l`` is the new record's id. The prior is that of an ``n_records`` data set:
    by default the existing records plus the new one; a caller that passes only some of
    its records (those sharing a name token) gives the size of the whole set, so the
    selection does not make every candidate likelier.
    """
    model = resolve_model(model)
    existing = list(existing_records)
    if not existing:
        return []
    new_cols = prepare([new_record])
    old_cols = prepare(existing)
    runner = Engine("duckdb")
    left = runner.register(new_cols)
    right = runner.register(old_cols)
    size = len(existing) + 1 if n_records is None else max(n_records, len(existing) + 1)
    linker = runner.linker(left, splink_settings(model, runner.dialect, size))
    scored = linker.inference.score_pairs(left, right)
    new_missing = missing_flags(new_cols)
    missing = {f: (new_missing[f], flags) for f, flags in missing_flags(old_cols).items()}
    pairs = pairs_from_table(
        scored.as_pyarrow_table(), model, threshold, missing, new_cols["uid"], old_cols["uid"]
    )
    return [p for p in pairs if p.record_id_r != p.record_id_l]


def score_record_pairs(
    pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
    model: DedupeModel | Path | None = None,
    n_records: int = 1000,
) -> list[ScoredPair]:
    """Score given pairs of records (no blocking, no threshold), in the order given.

    For explaining one pair to a caseworker, and for golden tests of the comparisons.
    The prior is that of an ``n_records`` data set. Up to a few thousand pairs (the
    pairs are scored as a cross product, then the diagonal is kept).
    """
    model = resolve_model(model)
    if not pairs:
        return []
    left_rows = [dict(a, record_id=str(i)) for i, (a, _) in enumerate(pairs)]
    right_rows = [dict(b, record_id=str(i)) for i, (_, b) in enumerate(pairs)]
    left_cols, right_cols = prepare(left_rows), prepare(right_rows)
    runner = Engine("duckdb")
    left, right = runner.register(left_cols), runner.register(right_cols)
    linker = runner.linker(left, splink_settings(model, runner.dialect, n_records))
    scored = linker.inference.score_pairs(left, right).as_pyarrow_table()
    diagonal = scored.filter(_pc_equal(scored.column("uid_l"), scored.column("uid_r")))
    missing = {
        f: (flags, missing_flags(right_cols)[f]) for f, flags in missing_flags(left_cols).items()
    }
    out = sorted(
        pairs_from_table(diagonal, model, 0.0, missing, left_cols["uid"], right_cols["uid"]),
        key=lambda p: int(p.record_id_l),
    )
    originals = [(str(a.get("record_id", "")), str(b.get("record_id", ""))) for a, b in pairs]
    return [
        p._replace(record_id_l=originals[i][0], record_id_r=originals[i][1])
        for i, p in enumerate(out)
    ]


def _pc_equal(a: Any, b: Any) -> Any:
    import pyarrow.compute as pc

    return pc.equal(a, b)


def _pair_count(cols: Mapping[str, list[Any]], keys: tuple[str, ...]) -> int:
    counts = Counter(
        values for values in zip(*(cols[k] for k in keys), strict=True) if None not in values
    )
    return sum(c * (c - 1) // 2 for c in counts.values())


def _em_sessions(cols: Mapping[str, list[Any]]) -> list[tuple[str, ...]]:
    """Two EM passes that between them estimate every comparison.

    First pass: records sharing a phone, else a NIK (nearly all true matches, and it leaves
    names and dates free to be estimated), else a date of birth (then names are estimated
    there and dates in the second pass). Second pass: date of birth + first name (or, after
    a date pass, the phonetic name).
    """
    first = next((k for k in (("phone",), ("nik",)) if _pair_count(cols, k) >= 50), ("dob",))
    second = ("phon_sorted",) if first == ("dob",) else ("dob", "phon_first")
    return [first, second]


def train(
    records: Iterable[Mapping[str, Any]] | Mapping[str, Sequence[Any]],
    *,
    out: Path | None = None,
    engine: str = "duckdb",
    trained_on: str = "",
    seed: int = 1,
    max_pairs: float = 2e6,
) -> DedupeModel:
    """Estimate a model without labels: u by random sampling, m by EM on two blocking passes.

    The prior comes from deterministic rules (same NIK; same phonetic name and date of birth).
    Saved as JSON to ``out`` when given.
    """
    from splink import block_on

    cols = prepare(records)
    runner = Engine(engine)
    table = runner.register(cols)
    linker = runner.linker(table, splink_settings(None, runner.dialect, len(cols["uid"])))
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik"), block_on("phon_sorted", "dob")], recall=0.6
    )
    n_pairs = min(max_pairs, max(1e5, 50.0 * len(cols["uid"])))  # small files: fewer samples
    linker.training.estimate_u_using_random_sampling(max_pairs=n_pairs, seed=seed)
    for keys in _em_sessions(cols):
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*keys), estimate_without_term_frequencies=True
        )
    n = len(cols["uid"])
    model = model_from_settings(linker.misc.save_model_to_json(), trained_on or f"{n} records", n)
    if out is not None:
        model.save(Path(out))
    return model
