"""Golden name pairs: the dedupe name comparison agrees on spelling variants, not on different people.

``golden/name_pairs.csv`` lists pairs that must match (old/new spelling, honorifics,
Moh./M./Muh., bin/binti dropped, Balinese I/Ni, typos, swapped tokens, initials) and pairs
that must not (Siti/Muhammad + a different name, Balinese siblings with different
birth-order names, same family different given name, same name different father).

"Agrees" is read from the comparison the model actually uses (Splink, through
``score_record_pairs``): the name level reached has a positive weight of at least 3 bits
in the shipped model, and the father's name (bin/binti), when both give one, does not
differ. One-letter typo variants of different names (Dadang/Dadan) are deliberately not
listed as must-not: the model treats them as possible typing errors and lets the other
fields decide.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from lentera.linkage import dedupe

GOLDEN = Path(__file__).parent / "golden" / "name_pairs.csv"


def _rows() -> list[dict[str, str]]:
    with GOLDEN.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def scored() -> list[tuple[dict[str, str], dedupe.ScoredPair]]:
    rows = _rows()
    pairs = dedupe.score_record_pairs(
        [
            (
                {"record_id": f"a{i}", "full_name": r["name_a"]},
                {"record_id": f"b{i}", "full_name": r["name_b"]},
            )
            for i, r in enumerate(rows)
        ]
    )
    return list(zip(rows, pairs, strict=True))


def _agrees(pair: dedupe.ScoredPair) -> bool:
    base = dedupe.default_model().evidence_table()
    name = next(e for e in pair.explanation if e.field == "name")
    father = next(e for e in pair.explanation if e.field == "father")
    return base["name"][name.level].match_weight >= 3 and father.match_weight >= 0


def test_golden_table_is_large_enough() -> None:
    rows = _rows()
    assert sum(r["expect"] == "match" for r in rows) >= 100
    assert sum(r["expect"] == "no_match" for r in rows) >= 50


def test_must_match_pairs_agree(scored: list[tuple[dict[str, str], dedupe.ScoredPair]]) -> None:
    failures = [
        f"{r['name_a']} | {r['name_b']}: {next(e for e in p.explanation if e.field == 'name').label}"
        for r, p in scored
        if r["expect"] == "match" and not _agrees(p)
    ]
    assert failures == []


def test_must_not_match_pairs_disagree(
    scored: list[tuple[dict[str, str], dedupe.ScoredPair]],
) -> None:
    failures = [
        f"{r['name_a']} | {r['name_b']}: {next(e for e in p.explanation if e.field == 'name').label}"
        for r, p in scored
        if r["expect"] == "no_match" and _agrees(p)
    ]
    assert failures == []


def test_pairs_come_back_in_order_with_their_ids(
    scored: list[tuple[dict[str, str], dedupe.ScoredPair]],
) -> None:
    assert [p.record_id_l for _, p in scored[:3]] == ["a0", "a1", "a2"]
    assert [p.record_id_r for _, p in scored[:3]] == ["b0", "b1", "b2"]
