"""Every row of the law-and-indicator data review has a test that fails on the old data.

shared/reference/reviews/law-and-indicator-data-review.md lists 18 discrepancies. Rows
whose fix changes a qualification are golden scenarios (tests/law/golden/r*.json, run by
test_golden.py); the others are tested here or in the module named below.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lentera.law import load_kb
from lentera.law.restitution import RestitutionInput, worksheet
from lentera.screening import ScreeningResult, load_catalogue, screen

GOLDEN = Path(__file__).resolve().parent / "golden"
ROWS: dict[int, str] = {
    1: "golden/r01_cap_20_years_child_syndicate_official.json",
    2: "golden/r02_uu_1_2026_pasal_4_no_minimum.json",
    3: "golden/r03_pasal_16_after_2026_takes_kuhp_455_range.json",
    4: "golden/r04_caregiver_indecent_acts_child.json",
    5: "test_legal_process.py::test_lpsk_completeness_is_7_working_days",
    6: "test_legal_process.py::test_tpks_restitution_is_due_in_30_days_not_14",
    7: "golden/r07_pasal_19_intent_without_trafficking_established.json",
    8: "golden/r08b_tpks_10_child_marriage_needs_no_means.json",
    9: "golden/r09_tpks_15_pregnant_victim_electronic_means.json",
    10: "golden/r10_kuhp_422_harbouring_is_not_an_act.json",
    11: "golden/r11_palermo_adoption_is_not_an_act.json",
    12: "golden/r12_pasal_8_official_status_alone.json",
    13: "golden/r13_pasal_6_sending_only.json",
    14: "golden/r14_76f_child_abduction_recorded_as_means.json",
    15: "test_review_rows.py::test_row_15_palermo_in_force_for_indonesia",
    16: "test_review_rows.py::test_row_16_disputed_d3_ratings_shown_where_they_change_the_outcome",
    17: "test_review_rows.py::test_row_17_disputed_violence_rating",
    18: "test_review_rows.py::test_row_18_child_sexual_d4_ratings",
}


def test_every_review_row_has_a_test() -> None:
    assert sorted(ROWS) == list(range(1, 19))
    here = Path(__file__).resolve().parent
    for row, where in ROWS.items():
        path, _, name = where.partition("::")
        assert (here / path).exists(), (row, where)
        if name:
            assert f"def {name}(" in (here / path).read_text("utf-8"), (row, where)


def test_row_6_restitution_worksheet_uses_30_days_for_tpks() -> None:
    notice = dt.date(2026, 6, 1)
    tppo = worksheet(RestitutionInput(final_judgment_notified_on=notice), today=notice)
    tpks = worksheet(
        RestitutionInput(final_judgment_notified_on=notice, law="UU-12-2022"), today=notice
    )
    assert tppo["deadlines"]["payment_due"] == "2026-06-15"
    assert tpks["deadlines"]["payment_due"] == "2026-07-01"


def test_row_15_palermo_in_force_for_indonesia() -> None:
    """Not UU 14/2009's promulgation (2009-03-05): 30 days after the deposit (Art. 17(2))."""
    assert load_kb().laws["PALERMO"].in_force_from == dt.date(2009, 10, 28)


# ------------------------------------------------------------------ ILO/EC disputed ratings
def _ids(
    list_name: str, dim: str, strength: str, n: int, *, disputed: bool | None = None
) -> list[str]:
    found = [
        i.id for i in load_catalogue().indicators(list_name)
        if i.dimension == dim and i.strength == strength
        and (disputed is None or (i.disputed_strength is not None) == disputed)
    ]  # fmt: skip
    assert len(found) >= n, (list_name, dim, strength, found)
    return found[:n]


def _screen(age: int, purposes: list[str], indicators: list[str]) -> ScreeningResult:
    return screen({
        "schema": "lentera.case-facts/1", "victim": {"age_at_offence": age},
        "acts": ["recruitment"], "exploitation": {"purposes": purposes, "occurred": True},
        "indicators": indicators,
    })  # fmt: skip


def _disputed_reasons(result: ScreeningResult) -> list[str]:
    return [r for r in result.reasons if r.startswith("disputed_rating_changes_outcome:")]


def _adult_destination() -> list[str]:
    """D4 (exploitation) and D5 (coercion at destination) positive on their own."""
    return (
        _ids("adult_labour", "D4", "strong", 1) + _ids("adult_labour", "D4", "medium", 1)
        + _ids("adult_labour", "D5", "strong", 2)
    )  # fmt: skip


def test_row_16_disputed_d3_ratings_shown_where_they_change_the_outcome() -> None:
    disputed = [
        "adult_labour.D3.difficulties_in_past",
        "adult_labour.D3.difficulty_organising_travel",
    ]
    third = _ids("adult_labour", "D3", "medium", 1, disputed=False)
    result = _screen(30, ["forced_labour"], disputed + third + _adult_destination())
    assert result.outcome == "trafficked"  # 3 medium in D3 (as rated by the secondary source)
    assert _disputed_reasons(result) == ["disputed_rating_changes_outcome:exploited_not_trafficked"]
    assert {f"disputed_rating_indicator:{i}" for i in disputed} <= set(result.reasons)
    # where the disputed ratings do not decide the outcome, no such warning
    strong_d1 = _ids("adult_labour", "D1", "strong", 1) + _ids("adult_labour", "D1", "medium", 1)
    calm = _screen(30, ["forced_labour"], disputed + third + strong_d1 + _adult_destination())
    assert calm.outcome == "trafficked" and _disputed_reasons(calm) == []


def test_row_17_disputed_violence_rating() -> None:
    other_d2 = _ids("adult_labour", "D2", "medium", 1, disputed=False)
    result = _screen(
        30,
        ["forced_labour"],
        ["adult_labour.D2.violence_on_victim", *other_d2, *_adult_destination()],
    )
    assert result.outcome == "trafficked"
    assert _disputed_reasons(result) == ["disputed_rating_changes_outcome:exploited_not_trafficked"]


def test_row_18_child_sexual_d4_ratings() -> None:
    d4 = ["child_sexual.D4.excessive_hours", "child_sexual.D4.hazardous_work"]
    result = _screen(15, ["prostitution"], d4)
    assert result.outcome == "trafficked"
    assert _disputed_reasons(result) == ["disputed_rating_changes_outcome:not_indicated"]
    # the same indicators in the child labour list are not disputed
    labour = _screen(15, ["forced_labour"], [i.replace("child_sexual", "child_labour") for i in d4])
    assert _disputed_reasons(labour) == []


@pytest.mark.parametrize("row", [8, 10, 4])
def test_rows_with_second_scenarios_have_them(row: int) -> None:
    second = {8: "r08_tpks_10_deception_is_not_a_means.json", 10: "r10b_kuhp_422_job_promise_ten_years.json",
              4: "r04b_joint_perpetrators_repeat_offender_two_victims.json"}[row]  # fmt: skip
    assert (GOLDEN / second).exists()
