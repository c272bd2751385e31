"""The follow-up survey XLSForm (Reintegration Sustainability Survey): bilingual, built from the
RSS catalogue, accepted by pyxform (and ODK Validate when Java is present), and its
submissions read back into scoreable visits."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from lentera.cli import main
from lentera.errors import LenteraError
from lentera.intake import RSS_FORM_ID, build_rss_xlsform, to_xform, visit_from_submission
from lentera.reintegration import load_catalogue, score

CAT = load_catalogue()
LANG_ID, LANG_EN = "label::Indonesian (id)", "label::English (en)"


@pytest.fixture(scope="module")
def form() -> bytes:
    return build_rss_xlsform()


def sheet(form: bytes, name: str) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(form))[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_one_question_per_indicator_in_both_languages(form: bytes) -> None:
    survey = sheet(form, "survey")
    by_name = {r["name"]: r for r in survey}
    for ind in CAT.indicators.values():
        row = by_name[ind.name]
        assert row["type"] == f"select_one rss_{ind.scale}"
        assert (row[LANG_ID], row[LANG_EN]) == (ind.question_id, ind.question_en)
    for r in survey:
        if r["type"] not in {"start", "end", "end_group"}:
            assert r[LANG_ID] and r[LANG_EN], r["name"]
    settings = sheet(form, "settings")[0]
    assert settings["form_id"] == RSS_FORM_ID and settings["version"] == CAT.version
    assert settings["default_language"] == "Indonesian (id)"


def test_choices_are_the_catalogue_codes(form: bytes) -> None:
    choices = sheet(form, "choices")
    assert all(c[LANG_ID] and c[LANG_EN] for c in choices)
    for ind in CAT.indicators.values():
        codes = [c["name"] for c in choices if c["list_name"] == f"rss_{ind.scale}"]
        assert codes == list(ind.options), ind.id
    outcomes = [c["name"] for c in choices if c["list_name"] == "rss_outcome"]
    assert outcomes == ["completed", "not_reached", "refused"]


def test_questions_only_when_the_survivor_was_reached(form: bytes) -> None:
    groups = [r for r in sheet(form, "survey") if r["type"] == "begin_group"]
    assert [g["name"] for g in groups] == ["economic", "social", "psychosocial"]
    assert all(g["relevant"] == "${outcome} = 'completed'" for g in groups)


def test_pyxform_converts_it(form: bytes) -> None:
    warnings: list[str] = []
    xml = to_xform(form, warnings=warnings)
    assert "<h:html" in xml and RSS_FORM_ID in xml and "jr:itext" in xml
    assert not warnings, warnings


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_odk_validate_accepts_it(form: bytes) -> None:
    assert "<h:html" in to_xform(form, validate=True)


SUBMISSION = {
    "_id": 991,
    "start": "2026-06-15T09:12:00.000+07:00",
    "meta/instanceID": "uuid:1b2c",
    "survivor": "YLK-2026-0001",
    "visit_date": "2026-06-15",
    "visit_label": "month_6",
    "outcome": "completed",
    "economic/economic_satisfaction": "satisfied",
    "economic/food_insecurity": "sometimes",
    "economic/can_borrow": "yes",
    "economic/debt_burden": "below_monthly_spending",
    "economic/work": "irregular",
    "social/housing": "fair",
    "social/children_schooling": "all",
    "social/health_care": "good",
    "social/identity_documents": "yes",
    "social/justice_access": "poor",
    "psychosocial/social_participation": "sometimes",
    "psychosocial/support_network": "good",
    "psychosocial/physical_safety": "safe",
    "psychosocial/discrimination": "rarely",
    "distress": "often",  # a flat export without the group path
}


def test_a_submission_reads_back_into_the_golden_visit() -> None:
    golden = Path(__file__).parents[1] / "reintegration" / "golden" / "complete_survey.json"
    case = json.loads(golden.read_text("utf-8"))
    visit = visit_from_submission(SUBMISSION)
    assert dict(visit.answers) == case["visit"]["answers"]
    assert (visit.survivor, visit.visit_label, visit.catalogue) == (
        "YLK-2026-0001",
        "month_6",
        CAT.id,
    )
    result = score(visit)
    assert result.composite == case["expected"]["composite"]


def test_blank_answers_are_unanswered_and_lost_visits_carry_none() -> None:
    lost = {"survivor": "YLK-7", "visit_date": "2026-05-01", "outcome": "not_reached", "work": ""}
    visit = visit_from_submission(lost)
    assert visit.outcome == "not_reached" and not visit.answers
    assert score(visit).reasons[0] == "not_reached"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"economic/work": "full_time"}, "answers.economic.work"),
        ({"visit_date": "15/06/2026"}, "visit_date"),
        ({"survivor": "Siti Aminah"}, "survivor"),
    ],
)
def test_a_bad_submission_names_the_field(change: dict[str, str], field: str) -> None:
    with pytest.raises(LenteraError) as err:
        visit_from_submission({**SUBMISSION, **change})
    assert err.value.field == field


def test_cli_writes_and_checks_the_rss_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "rss.xlsx"
    xml = tmp_path / "rss.xml"
    assert main(["intake", "xlsform", "--form", "rss", "--out", str(out), "--xform", str(xml)]) == 0
    assert "XForm conversion: ok" in capsys.readouterr().out
    assert out.read_bytes()[:2] == b"PK" and RSS_FORM_ID in xml.read_text("utf-8")
