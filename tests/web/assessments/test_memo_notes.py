"""The memo and the legal page mark results that rest on unverified law or contested readings."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import translation

from lentera.law import Charge, qualify
from lentera.web.assessments import words
from lentera.web.assessments.memo import charge_penalty_text, penalty_notes

GOLDEN = Path(__file__).resolve().parents[2] / "law" / "golden"


def _charge(golden: str, cid: str) -> Charge:
    facts = json.loads((GOLDEN / f"{golden}.json").read_text("utf-8"))["facts"]
    ind = qualify(facts).indonesia
    return {c.id: c for c in (*ind.charges, *ind.alternatives)}[cid]


def test_unverified_text_cap_and_raised_minimum_are_noted() -> None:
    c = _charge("r04b_joint_perpetrators_repeat_offender_two_victims", "UU-35-2014:76D")
    with translation.override("en"):
        notes = penalty_notes(c)
        text = charge_penalty_text(c)
    cited = words.cite("UU-35-2014:81.5")  # the article in words, never its rule id (i16)
    assert cited.startswith("Pasal 81 ayat (5)"), cited
    assert any("not verified" in n and cited in n for n in notes), notes
    assert not any("UU-35-2014:" in n for n in notes), notes
    assert any("Contested reading" in n for n in notes), notes
    assert (
        "life imprisonment" in text and "death" in text.split(",")[0]
    )  # statute-style wording (i16)


def test_unverified_uu_1_2026_adjustment_lists_the_enacted_reading() -> None:
    facts = {
        "schema": "lentera.case-facts/1", "offence_date": "2026-04-01",
        "victim": {"age_at_offence": 25}, "means": ["deception"],
        "exploitation": {"purposes": ["prostitution"], "occurred": True},
    }  # fmt: skip
    alts = {c.id: c for c in qualify(facts).indonesia.alternatives}
    with translation.override("en"):
        notes = penalty_notes(alts["UU-12-2022:12"])
    assert any("UU 1/2026" in n and "As enacted" in n for n in notes), notes


def test_place_of_act_reading_is_presented_as_an_alternative_charge() -> None:
    c = _charge("g01_mdw_malaysia_deception_calo", "UU-21-2007:2.1")
    assert c.met is True and c.readings == ["territory_place_of_act"]
    with translation.override("en"):
        assert any("Alternative charge" in n for n in penalty_notes(c))
    with translation.override("id"):
        assert penalty_notes(c)  # translated, never empty


def test_results_stored_before_the_notes_existed_have_none() -> None:
    old = Charge.model_validate({"id": "UU-21-2007:4", "met": True, "elements": {}, "missing": [],
        "penalty": {"prison_min_months": 36, "prison_max_months": 180, "life": False,
                    "fine_min_idr": 1, "fine_max_idr": 2, "cumulative": True}})  # fmt: skip
    assert penalty_notes(old) == []
    with translation.override("en"):
        assert "and a fine" in charge_penalty_text(old)


def test_new_reason_and_explanation_codes_have_words() -> None:
    from lentera.web.assessments.labels import explanation_text, reason_text

    with translation.override("en"):
        assert "Disputed" in reason_text("disputed_rating_changes_outcome:not_indicated")
        assert "also tried" in reason_text(
            "disputed_rating_indicator:child_sexual.D4.hazardous_work"
        )
        for code, params in (
            ("article_unverified", {"charge": "UU-35-2014:76D", "articles": ["UU-35-2014:81.5"]}),
            ("territory_place_of_act", {"charge": "UU-21-2007:2.1"}),
            ("additional_measures", {"charge": "x", "aggravation": "y", "measures": ["m"]}),
        ):
            text = explanation_text({"code": code, "params": params})
            assert text and text != code, code


def test_memo_lists_the_known_1_1_facts() -> None:
    from lentera.web.assessments.memo import facts_1_1_rows

    facts = {"perpetrator": {"relations": ["caregiver"], "abused_power": True}, "victim": {},
             "exploitation": {"child_marriage": False}, "circumstances": {"electronic_means": None}}  # fmt: skip
    with translation.override("en"):
        rows = dict(facts_1_1_rows(facts))
    assert rows["Perpetrator's relation to the victim"] == "caregiver"
    assert rows["Child marriage"] == "no" and "Electronic means used" not in rows
    assert facts_1_1_rows({"perpetrator": {}, "victim": {}, "exploitation": {}}) == []
