"""Adapting the model to the data at hand: u by random sampling, m and the prior by MAP-EM.

The shipped model is the prior (:mod:`lentera.linkage.em`); reviewers' decisions enter the
EM with their class fixed. Splink reports a match weight per field, not the level reached,
so levels are read back from the weights (every level's weight is kept distinct).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lentera.linkage import em
from lentera.linkage.dedupe.engine import Engine, query, spark_table
from lentera.linkage.dedupe.model import DedupeModel, level_weights, model_from_settings

#: pairs' worth of the shipped model's m in the EM re-estimation (see :mod:`lentera.linkage.em`)
PRIOR_STRENGTH = 100.0
#: the share of true matches assumed to agree on name + birth year, NIK or phone (the prior's cap)
DETERMINISTIC_RECALL = 0.5
#: candidate pairs' worth of one reviewer decision in the EM (reviewed pairs are the hard ones)
LABEL_WEIGHT = 10.0
#: random pairs' worth of the shipped model's u when u is re-estimated by random sampling
U_PRIOR_PAIRS = 20_000.0
#: candidate pairs sharing a NIK or phone needed to read m from them, and the shipped m's worth
ANCHOR_MIN = 200
ANCHOR_PRIOR_PAIRS = 10.0
#: random pairs sampled to re-estimate u on the data at hand
U_SAMPLE_PAIRS = 500_000


def distinct_weights(
    levels: Mapping[str, list[dict[str, Any]]],
) -> dict[str, list[dict[str, Any]]]:
    """The same levels with every match weight distinct and away from 0 (by ≥ 0.01 bits).

    Splink 5 reports a weight per comparison, not the level reached; the level is read back
    from the weight, which needs each level's weight to be its own (0 is a missing field).
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for name, field_levels in levels.items():
        taken: list[float] = []
        new = []
        for level in field_levels:
            m, u = float(level["m"]), float(level["u"])
            w = math.log2(m / u)
            while abs(w) < 0.01 or any(abs(w - t) < 0.01 for t in taken):
                w += 0.02
            taken.append(w)
            new.append(dict(level, m=u * 2.0**w))
        out[name] = new
    return out


def _level_index(weights: Any, level_weights: Sequence[float]) -> Any:
    """Level index (0 = best) per match weight; -1 where the weight is exactly 0 (missing)."""
    import numpy as np

    lw = np.asarray(level_weights, dtype=float)
    index = np.abs(np.asarray(weights, dtype=float)[:, None] - lw[None, :]).argmin(axis=1)
    return np.where(np.asarray(weights) == 0.0, -1, index)


def _remap_sql(column: str, old: Sequence[float], new: Sequence[float]) -> str:
    """SQL mapping each old level weight in ``column`` to the new one (0 stays 0: missing)."""
    order = sorted(range(len(old)), key=lambda i: old[i])
    cases = [f"WHEN {column} = 0 THEN 0"]
    for a, b in itertools.pairwise(order):
        cases.append(f"WHEN {column} < {(old[a] + old[b]) / 2!r} THEN {new[a]!r}")
    cases.append(f"ELSE {new[order[-1]]!r}")
    return f"CASE {' '.join(cases)} END"


def _weights(model: DedupeModel) -> dict[str, list[float]]:
    return {name: level_weights(levels) for name, levels in model.levels.items()}


def level_sql(column: str, levels: Sequence[Mapping[str, Any]]) -> str:
    """SQL giving the level of the weight in ``column``: 1 for the first of ``levels``,
    2 for the second…, 0 where the weight is 0 (missing on a side)."""
    return _remap_sql(column, level_weights(levels), [float(i + 1) for i in range(len(levels))])


def reestimate_u(linker: Any, model: DedupeModel, n: int, seed: int) -> DedupeModel:
    """u by random sampling on the data at hand, shrunk towards the model's u.

    A small data set has few random pairs to learn from, so the shipped u weighs as
    :data:`U_PRIOR_PAIRS` sampled pairs; on a large one the data decide.
    """
    total_pairs = n * (n - 1) // 2
    sampled = float(min(U_SAMPLE_PAIRS, total_pairs))
    linker.training.estimate_u_using_random_sampling(
        max_pairs=sampled, seed=seed, min_count_per_level=None, num_chunks=1
    )
    estimated = model_from_settings(linker.misc.save_model_to_json(), "", n)
    levels = {}
    for name, prior_levels in model.levels.items():
        new = []
        for prior, est in zip(prior_levels, estimated.levels[name], strict=True):
            u0, u_hat = float(prior["u"]), float(est["u"])
            if u_hat <= 1e-6:  # not seen among the sampled pairs: keep the prior's
                u_hat = u0
            u = (sampled * u_hat + U_PRIOR_PAIRS * u0) / (sampled + U_PRIOR_PAIRS)
            new.append(dict(prior, u=u))
        levels[name] = new
    return DedupeModel(model.version, model.matches_per_record, levels, model.trained_on)


def labelled_patterns(
    runner: Engine,
    predictions: Any,
    model: DedupeModel,
    ids: Sequence[str],
    labels: Iterable[tuple[str, str, bool]],
) -> list[tuple[dict[str, int], bool]]:
    """The agreement pattern (level per field) of each labelled pair among the candidates.

    ``labels``: (record_id, record_id, same person?) — a reviewer's merge or "not the same
    person". Pairs that are not candidate pairs of this run are left out (their records
    never meet under blocking, so they cannot inform the candidates' model).
    """
    import pyarrow as pa

    labels = list(labels)
    if not labels:  # most runs: no reviewer decisions, no index of a million ids to build
        return []
    position = {uid: i for i, uid in enumerate(ids)}
    wanted: dict[tuple[int, int], bool] = {}
    for a, b, same in labels:
        if a in position and b in position and a != b:
            i, j = sorted((position[a], position[b]))
            wanted[(i, j)] = bool(same)
    if not wanted:
        return []
    name = f"__lentera_labels_{predictions.physical_name}"
    keys = pa.table(
        {
            "label_l": pa.array([k[0] for k in wanted], type=pa.int64()),
            "label_r": pa.array([k[1] for k in wanted], type=pa.int64()),
        }
    )
    registered = runner.db_api.register(
        keys if runner.engine == "duckdb" else spark_table(runner, keys)
    )
    fields = list(model.levels)
    mw_cols = ", ".join(f"p.mw_{f}" for f in fields)
    found = query(
        runner,
        f"SELECT p.uid_l, p.uid_r, {mw_cols} FROM {predictions.physical_name} p "  # noqa: S608
        f"JOIN {registered.physical_name} k ON p.uid_l = k.label_l AND p.uid_r = k.label_r",
        name,
    ).as_pyarrow_table()
    weights = _weights(model)
    levels = {
        f: _level_index(found.column(f"mw_{f}").to_numpy(zero_copy_only=False), weights[f])
        for f in fields
    }
    left, right = found.column("uid_l").to_pylist(), found.column("uid_r").to_pylist()
    return [
        ({f: int(levels[f][k]) for f in fields}, wanted[(left[k], right[k])])
        for k in range(found.num_rows)
    ]


def reestimate_m(
    runner: Engine,
    predictions: Any,
    model: DedupeModel,
    n: int,
    labels: Sequence[tuple[Mapping[str, int], bool]] = (),
) -> tuple[DedupeModel, Any, int]:
    """m and the prior by MAP-EM on the run's candidate pairs (agreement patterns)."""
    import numpy as np

    fields = list(model.levels)
    weights = _weights(model)
    mw_cols = ", ".join(f"mw_{f}" for f in fields)
    grouped = query(
        runner,
        f"SELECT {mw_cols}, count(*) AS n FROM {predictions.physical_name} "  # noqa: S608
        f"GROUP BY {mw_cols}",
        f"__lentera_patterns_{predictions.physical_name}",
    )
    table = grouped.as_pyarrow_table()
    grouped.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    patterns = (
        np.stack(
            [
                _level_index(table.column(f"mw_{f}").to_numpy(zero_copy_only=False), weights[f])
                for f in fields
            ],
            axis=1,
        )
        if table.num_rows
        else np.zeros((0, len(fields)), dtype=np.int64)
    )
    counts = table.column("n").to_numpy(zero_copy_only=False).astype(float)
    n_candidates = int(counts.sum())
    label_values = np.full(len(counts), np.nan)
    if labels:
        extra = np.array([[lab[0][f] for f in fields] for lab in labels], dtype=np.int64)
        patterns = np.concatenate([patterns, extra])
        counts = np.concatenate([counts, np.ones(len(extra))])
        label_values = np.concatenate(
            [label_values, np.array([1.0 if same else 0.0 for _, same in labels])]
        )
    if not len(counts):
        return model, None, 0
    shipped = [np.array([float(lv["m"]) for lv in model.levels[f]]) for f in fields]
    anchored = _anchored_m(fields, patterns, counts, label_values, shipped)
    result = em.fit(
        patterns,
        counts,
        [len(model.levels[f]) for f in fields],
        shipped if anchored is None else anchored,
        # m read from the anchor pairs is kept as it is (EM then finds only the prior)
        prior_strength=PRIOR_STRENGTH if anchored is None else 1e12,
        start_u=[np.array([float(lv["u"]) for lv in model.levels[f]]) for f in fields],
        labels=label_values,
        label_weight=LABEL_WEIGHT,
    )
    levels = {
        f: [dict(lv, m=float(m)) for lv, m in zip(model.levels[f], result.m[i], strict=True)]
        for i, f in enumerate(fields)
    }
    # the prior: EM's expected matches, but never more than the pairs that agree on an
    # identity (same name and a birth date of the same year, same NIK, or same phone) over an assumed recall of
    # those rules — on large files EM also counts namesakes born the same year as matches
    unlabelled = counts[: len(counts) - len(labels)] if labels else counts
    plain = patterns[: len(unlabelled)]
    col = {f: i for i, f in enumerate(fields)}
    identity = (
        (
            (plain[:, col["name"]] == 0)
            & (plain[:, col["birth_date"]] >= 0)
            & (plain[:, col["birth_date"]] <= 4)
        )
        | (plain[:, col["nik"]] == 0)
        | (plain[:, col["phone"]] == 0)
    )
    deterministic = float(unlabelled[identity].sum()) / DETERMINISTIC_RECALL
    expected = min(result.expected_matches, max(deterministic, 1.0))
    matches_per_record = max(2.0 * expected / max(n, 1), 1e-6)
    adapted = DedupeModel(
        model.version,
        matches_per_record,
        distinct_weights(levels),
        f"{model.trained_on}; re-estimated on {n} records",
    )
    return adapted, result, n_candidates


def _anchored_m(
    fields: Sequence[str], patterns: Any, counts: Any, labels: Any, shipped: Sequence[Any]
) -> list[Any] | None:
    """m per field read from the candidate pairs that share a NIK or a phone, if enough do.

    Same NIK or same phone is (nearly) always the same person, and whether two records
    share one says little about how their names were written: those pairs show what
    matches look like without EM, which on large files also reads namesakes born the same
    year as matches. NIK's m comes from pairs sharing a phone or the name and date, the
    phone's from pairs sharing a NIK or the name and date; birth date, sex and place from
    phones only (a missing date, sex or regency is completed from the NIK, so NIK pairs
    agree on them by construction). The birth date's m is not re-estimated by EM either:
    EM on the candidates read namesakes of one area born in different years as matches
    (m of "dates differ" 0.16 on 100,000 synthetic records, against 0.0004 in phone
    pairs), which linked Ujang Gunawan 1991 with Ujang Gunawan 2008. None (plain EM)
    when fewer than :data:`ANCHOR_MIN` candidate pairs share a NIK or phone.
    Reviewers' merges (``labels`` 1.0) count as anchors for every field, each worth
    :data:`LABEL_WEIGHT` pairs; their "not the same person" decisions are left to EM.
    """
    import numpy as np

    unlabelled = np.isnan(labels)
    col = {f: patterns[:, i] for i, f in enumerate(fields)}
    nik, phone = unlabelled & (col["nik"] == 0), unlabelled & (col["phone"] == 0)
    if float(counts[nik | phone].sum()) < ANCHOR_MIN:
        return None
    merged = labels == 1.0
    weight = np.where(merged, counts * LABEL_WEIGHT, counts)
    name_date = unlabelled & (col["name"] == 0) & (col["birth_date"] == 0)
    rows = {"nik": phone | name_date, "phone": nik | name_date}
    if float(counts[phone].sum()) >= ANCHOR_MIN:
        rows |= dict.fromkeys(("birth_date", "sex", "place"), phone)
    out = []
    for i, f in enumerate(fields):
        chosen = (rows.get(f, nik | phone) | merged) & (patterns[:, i] >= 0)
        seen = np.bincount(patterns[chosen, i], weights=weight[chosen], minlength=len(shipped[i]))
        out.append(em._normalised(seen + ANCHOR_PRIOR_PAIRS * np.asarray(shipped[i])))
    return out


def rescore(runner: Engine, predictions: Any, old: DedupeModel, new: DedupeModel, n: int) -> Any:
    """The candidate pairs scored again with the new model's weights (level by level)."""
    old_w, new_w = _weights(old), _weights(new)
    prior = new.prior(n)
    prior_weight = math.log2(prior / (1 - prior))
    remapped = {f: _remap_sql(f"mw_{f}", old_w[f], new_w[f]) for f in new.levels}
    tf = " + ".join(f"coalesce({c}, 0)" for c in _tf_columns(runner, predictions)) or "0"
    weight = f"{prior_weight!r} + {' + '.join(remapped.values())} + {tf}"
    name = f"__lentera_rescored_{predictions.physical_name}"
    tf_cols = "".join(f", {c}" for c in _tf_columns(runner, predictions))
    return query(
        runner,
        f"SELECT uid_l, uid_r, {weight} AS match_weight, "  # noqa: S608 - names are ours
        f"{', '.join(f'{sql} AS mw_{f}' for f, sql in remapped.items())}{tf_cols} "
        f"FROM {predictions.physical_name}",
        name,
    )


def _tf_columns(runner: Engine, predictions: Any) -> list[str]:
    return [c for c in predictions.columns_escaped if c.strip('"`').startswith("mw_tf_adj_")]


def choose_threshold(runner: Engine, scored: Any) -> tuple[float, float]:
    """The match probability that maximises the expected F1 over this run's candidate pairs."""
    import numpy as np

    hist = query(
        runner,
        f"SELECT round(match_weight, 2) AS w, count(*) AS n FROM {scored.physical_name} "  # noqa: S608
        "GROUP BY 1",
        f"__lentera_hist_{scored.physical_name}",
    )
    table = hist.as_pyarrow_table()
    hist.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    w = table.column("w").to_numpy(zero_copy_only=False).astype(float)
    counts = table.column("n").to_numpy(zero_copy_only=False).astype(float)
    probability = 1.0 / (1.0 + np.exp2(-w))
    cut, expected = em.expected_f1_threshold(probability, counts)
    return min(max(cut, 0.5), 0.999), expected
