"""A shared name token weighs by how common it is: a common one with a birth date is not enough."""

from __future__ import annotations

import pytest

from lentera.linkage import dedupe, synthetic
from lentera.linkage.dedupe.tokens import ADJUSTED_LEVELS

REGENCY = "1605"  # the file's largest regency: one record in eight there carries "Siti"
#: a strict threshold, where a large file's lower prior puts the weak links
THRESHOLD = 0.97
SECOND = ("Aminah", "Lestari", "Handayani", "Rahmawati", "Puspitasari", "Anggraini")


def _pairs(first: str, tag: str, year: int) -> list[tuple[dict[str, str], dict[str, str]]]:
    """Two people born on the same day in one regency whose names share only ``first``.

    Nothing else: no sex, NIK, phone or birth place. Each pair has its own date (``year``).
    """
    pairs = []
    for i in range(len(SECOND) // 2):
        row = {
            "birth_date": f"{year}-0{i + 2}-1{i + 3}",
            "sex": "",
            "nik": "",
            "birth_place": "",
            "origin_regency_code": REGENCY,
            "phone": "",
        }
        a = dict(row, record_id=f"{tag}{i}a", full_name=f"{first} {SECOND[2 * i]}")
        b = dict(row, record_id=f"{tag}{i}b", full_name=f"{first} {SECOND[2 * i + 1]}")
        pairs.append((a, b))
    return pairs


COMMON = _pairs("Siti", "c", 1991)  # 7 % of the file's records, 13 % of the regency's
RARE = _pairs("Sekarwangi", "r", 1993)  # a token no one else in the file carries


@pytest.fixture(scope="module")
def result() -> dedupe.DedupeResult:
    rows = list(synthetic.generate(20_000, seed=5).records())
    for a, b in COMMON + RARE:
        rows += [a, b]
    return dedupe.dedupe(rows, threshold=THRESHOLD)


def _probability(result: dedupe.DedupeResult, a: str, b: str) -> float:
    found = [p.probability for p in result.pairs if {p.record_id_l, p.record_id_r} == {a, b}]
    return found[0] if found else 0.0


def test_a_common_shared_token_and_a_date_do_not_link(result: dedupe.DedupeResult) -> None:
    for a, b in COMMON:
        assert result.clusters[a["record_id"]] != result.clusters[b["record_id"]]


def test_a_rare_shared_token_and_a_date_link(result: dedupe.DedupeResult) -> None:
    for a, b in RARE:
        assert result.clusters[a["record_id"]] == result.clusters[b["record_id"]]
        pair = next(
            p
            for p in result.pairs
            if {p.record_id_l, p.record_id_r} == {a["record_id"], b["record_id"]}
        )
        name = next(e for e in pair.explanation if e.field == "name")
        assert name.label.split(" (")[0] in {lv.split(" (")[0] for lv in ADJUSTED_LEVELS}
        assert "adjusted for how common" in name.label


def test_the_rarer_token_weighs_more(result: dedupe.DedupeResult) -> None:
    for (ca, cb), (ra, rb) in zip(COMMON, RARE, strict=True):
        common = _probability(result, ca["record_id"], cb["record_id"])
        rare = _probability(result, ra["record_id"], rb["record_id"])
        assert rare > common


def test_every_adjusted_level_is_a_level_of_the_name_comparison() -> None:
    # the adjustment finds its levels by label: a label renamed in comparisons.py would
    # switch it off without a word
    labels = {level["label"] for level in dedupe.default_model().levels["name"]}
    assert labels >= ADJUSTED_LEVELS
