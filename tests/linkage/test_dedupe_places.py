"""A shared regency weighs by how many records come from it: a crowded one says less."""

from __future__ import annotations

import pytest

from lentera.linkage import dedupe, synthetic
from lentera.linkage.dedupe import places

DENSE = "1605"  # the file's largest regency: about one record in eight that carries one
RARE = "1277"  # a regency none of the file's records comes from


def _pair(tag: str, regency: str) -> list[dict[str, str]]:
    """Two copies of one person: the same rare name, birth date and regency, nothing else."""
    row = {
        "full_name": "Sekarwangi Puspitasari",
        "birth_date": "1993-04-17",
        "sex": "",
        "nik": "",
        "birth_place": "",
        "origin_regency_code": regency,
        "phone": "",
    }
    return [dict(row, record_id=f"{tag}a"), dict(row, record_id=f"{tag}b")]


@pytest.fixture(scope="module")
def result() -> dedupe.DedupeResult:
    rows = list(synthetic.generate(20_000, seed=5).records())
    rows += _pair("dense", DENSE) + _pair("rare", RARE)
    return dedupe.dedupe(rows, threshold=0.5)


def _weight(result: dedupe.DedupeResult, a: str, b: str) -> float:
    found = [p.match_weight for p in result.pairs if {p.record_id_l, p.record_id_r} == {a, b}]
    assert found, (a, b)
    return found[0]


def test_a_crowded_regency_weighs_less_than_a_rare_one(result: dedupe.DedupeResult) -> None:
    dense = _weight(result, "densea", "denseb")
    rare = _weight(result, "rarea", "rareb")
    # the regency gives about 1/8 of the records with a regency, the mean share over records
    # is about 1/40: log2(1/5) ≈ -2.3 bits; a rare regency keeps the level's weight
    assert -places.CAP_DOWN >= rare - dense > 1.5
    # both are still one person's copies
    assert result.clusters["densea"] == result.clusters["denseb"]
    assert result.clusters["rarea"] == result.clusters["rareb"]


def _place(result: dedupe.DedupeResult, a: str, b: str) -> tuple[float, str]:
    pair = next(p for p in result.pairs if {p.record_id_l, p.record_id_r} == {a, b})
    (place,) = [e for e in pair.explanation if e.field == "place"]
    return place.match_weight, place.label


def test_the_place_evidence_shown_carries_the_adjustment(result: dedupe.DedupeResult) -> None:
    # the two pairs differ only in their regency's crowd: the evidence a caseworker sees for
    # the place must say so and account for the whole difference in match weight
    dense, dense_label = _place(result, "densea", "denseb")
    rare, rare_label = _place(result, "rarea", "rareb")
    difference = _weight(result, "rarea", "rareb") - _weight(result, "densea", "denseb")
    assert rare - dense == pytest.approx(difference, abs=0.02)
    assert "how many records come from the place" in dense_label
    assert "adjusted" not in rare_label


def test_every_pairs_evidence_adds_up_to_its_match_weight(result: dedupe.DedupeResult) -> None:
    # whatever corrections the run made after scoring (name tokens, namesakes, places), the
    # per-field evidence of each pair plus one prior is the pair's match weight
    rest = [p.match_weight - sum(e.match_weight for e in p.explanation) for p in result.pairs]
    assert len(rest) > 1_000
    assert max(rest) - min(rest) < 0.06
