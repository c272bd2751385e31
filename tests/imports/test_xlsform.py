"""The intake XLSForm: bilingual, with skip logic, and accepted by pyxform (and ODK Validate
when Java is present); its question names are the Kobo import's headers."""

from __future__ import annotations

import io
import shutil
from typing import Any

import pytest

from lentera import intake
from lentera.intake import xlsform


@pytest.fixture(scope="module")
def vocab() -> Any:
    from lentera.web.imports.spec import build_vocabulary

    return build_vocabulary()


@pytest.fixture(scope="module")
def form(vocab: Any) -> bytes:
    return intake.build_xlsform(vocab)


def sheet(form: bytes, name: str) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(form))[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_labels_in_indonesian_and_english(form: bytes) -> None:
    survey = sheet(form, "survey")
    questions = [r for r in survey if r["type"] not in {"calculate", "start", "end", "end_group"}]
    for r in questions:
        assert r["label::Indonesian (id)"] and r["label::English (en)"], r["name"]
    choices = sheet(form, "choices")
    assert all(c["label::Indonesian (id)"] and c["label::English (en)"] for c in choices)
    settings = sheet(form, "settings")[0]
    assert (
        settings["default_language"] == "Indonesian (id)"
        and settings["form_id"] == "lentera_intake"
    )


def test_skip_logic_for_children_and_exploitation_type(form: bytes) -> None:
    by_name = {r["name"]: r for r in sheet(form, "survey")}
    assert "is_child" in by_name and by_name["is_child"]["type"] == "calculate"
    assert by_name["marital_status"]["relevant"] == "${is_child} != 'yes'"
    assert by_name["is_migrant_worker"]["relevant"] == "${is_child} != 'yes'"
    assert "sexual_exploitation" in by_name["sex_exploitation_types"]["relevant"]
    assert "forced_labour" in by_name["sector"]["relevant"]
    assert by_name["origin_regency"]["choice_filter"] == "province=${origin_province}"


def test_form_names_are_the_kobo_import_columns(form: bytes) -> None:
    names = {r["name"] for r in sheet(form, "survey") if r.get("name")}
    kobo_columns = set(intake.formats()["kobo"].columns)
    assert kobo_columns <= names


def test_pyxform_converts_it(form: bytes) -> None:
    warnings: list[str] = []
    xml = xlsform.to_xform(form, warnings=warnings)
    assert "<h:html" in xml and "lentera_intake" in xml
    assert 'relevant="' in xml and "jr:itext" in xml
    assert not warnings, warnings


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_odk_validate_accepts_it(form: bytes) -> None:
    """ODK Validate (bundled with pyxform, run offline with Java) accepts the form."""
    xml = xlsform.to_xform(form, validate=True)
    assert "<h:html" in xml


def test_a_broken_form_is_rejected_by_pyxform(form: bytes) -> None:
    """The conversion check can fail: a relevant pointing to an unknown question is refused."""
    from openpyxl import load_workbook
    from pyxform.errors import PyXFormError

    book = load_workbook(io.BytesIO(form))
    survey = book["survey"]
    survey.append(["text", "broken", "x", "x", None, None, None, "${no_such_question} = 'a'"])
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(PyXFormError):
        xlsform.to_xform(buf.getvalue())


def test_case_facts_1_1_questions(form: bytes) -> None:
    by_name = {r["name"]: r for r in sheet(form, "survey")}
    for name in ("child_marriage", "harmful_work", "victim_pregnant", "perpetrators_acted_jointly",
                 "more_than_one_victim", "electronic_means", "perpetrator_abused_power"):  # fmt: skip
        assert name in by_name, name
    assert by_name["child_marriage"]["relevant"] == "${is_child} = 'yes'"
