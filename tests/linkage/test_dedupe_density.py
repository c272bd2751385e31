"""Many people of one area sharing a name and a birth year are not merged on that alone."""

from __future__ import annotations

from collections import Counter

import pytest

from lentera.linkage import dedupe, synthetic

REGENCY = "3204"  # Kabupaten Bandung
YEARS = range(1985, 1995)
PER_YEAR = 20  # namesakes per birth year, all of one area: a dense key


def _namesakes() -> list[dict[str, str]]:
    """Different women named Rini Wulandari, born in one area, the date known only to the year.

    Nothing but the name, the year and the area: no NIK, no phone, no birth place.
    """
    rows = []
    for year in YEARS:
        for i in range(PER_YEAR):
            rows.append(
                {
                    "record_id": f"n{year}-{i:02d}",
                    "full_name": "Rini Wulandari",
                    "birth_date": str(year),
                    "sex": "F",
                    "nik": "",
                    "birth_place": "",
                    "origin_regency_code": REGENCY,
                    "phone": "",
                }
            )
    return rows


def _twins_with_nik() -> list[tuple[dict[str, str], dict[str, str]]]:
    """True duplicates among them: the same woman twice, both records carrying her NIK."""
    pairs = []
    for i in range(10):
        day = 10 + i
        nik = f"{REGENCY}01{day + 40:02d}0590{i + 1:04d}"  # female: day + 40; May 1990
        row = {
            "full_name": "Rini Wulandari",
            "birth_date": "1990",
            "sex": "F",
            "nik": nik,
            "birth_place": "",
            "origin_regency_code": REGENCY,
            "phone": "",
        }
        pairs.append((dict(row, record_id=f"t{i}a"), dict(row, record_id=f"t{i}b")))
    return pairs


@pytest.fixture(scope="module")
def result() -> dedupe.DedupeResult:
    data = synthetic.generate(20_000, seed=5)
    rows = list(data.records()) + _namesakes()
    for a, b in _twins_with_nik():
        rows += [a, b]
    return dedupe.dedupe(rows)


def test_namesakes_of_a_dense_key_are_not_merged(result: dedupe.DedupeResult) -> None:
    clusters = Counter(result.clusters[r["record_id"]] for r in _namesakes())
    wrong = sum(k * (k - 1) // 2 for k in clusters.values())
    # 200 different people: every pair merged is wrong (without the density correction
    # the key-only links put each year's 20 in one cluster: 1,900 wrong pairs)
    assert wrong <= 20, clusters.most_common(5)
    assert result.report.density_lowered > 0
    assert result.report.to_json()["density_lowered"] == result.report.density_lowered


def test_duplicates_with_a_nik_in_the_dense_key_are_still_merged(
    result: dedupe.DedupeResult,
) -> None:
    for a, b in _twins_with_nik():
        assert result.clusters[a["record_id"]] == result.clusters[b["record_id"]]
