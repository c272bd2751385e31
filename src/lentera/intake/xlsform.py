"""The Lentera intake form as an XLSForm (for KoboToolbox, ODK Collect, Enketo).

Built from the same field list (``data/fields.yaml``) and vocabulary as the
import checks, so a submission exported from the form imports without a
column map. Labels in Bahasa Indonesia and English; skip logic for children
and adults and by type of exploitation. :func:`to_xform` converts it with
pyxform (optionally running ODK Validate, which needs Java).
"""

from __future__ import annotations

import io
from typing import Any

from lentera import reference
from lentera.intake.fields import FieldDef, Vocabulary, fields, fields_version, groups

__all__ = [
    "FORM_ID",
    "LANG_EN",
    "LANG_ID",
    "build_xlsform",
    "label_columns",
    "survey_rows",
    "to_xform",
    "write_xlsform",
]

FORM_ID = "lentera_intake"
LANG_ID = "Indonesian (id)"
LANG_EN = "English (en)"
SURVEY_COLUMNS = (
    "type",
    "name",
    f"label::{LANG_ID}",
    f"label::{LANG_EN}",
    f"hint::{LANG_ID}",
    f"hint::{LANG_EN}",
    "required",
    "relevant",
    "constraint",
    f"constraint_message::{LANG_ID}",
    f"constraint_message::{LANG_EN}",
    "calculation",
    "choice_filter",
    "appearance",
)
CHOICE_COLUMNS = ("list_name", "name", f"label::{LANG_ID}", f"label::{LANG_EN}", "province")

_NIK_CONSTRAINT = "regex(., '^[0-9]{16}$')"
_PHONE_CONSTRAINT = r"regex(., '^\+?[0-9 ()-]{8,20}$')"
_REGION_CONSTRAINT = "regex(., '^[0-9]{2}([0-9]{2})?$')"
_AGE_YEARS = (
    "if(string-length(${birth_date}) > 0, "
    "int((decimal-date-time(today()) - decimal-date-time(${birth_date})) div 365.25), "
    "${estimated_age})"
)
_IS_CHILD = "if(string-length(${age_years}) > 0 and number(${age_years}) < 18, 'yes', 'no')"


def _row(**cells: Any) -> dict[str, Any]:
    return {k: v for k, v in cells.items() if v not in (None, "")}


def label_columns(label_id: str, label_en: str) -> dict[str, str]:
    """The XLSForm label columns of one row: ``label::<Indonesian>`` and ``label::<English>``."""
    return {f"label::{LANG_ID}": label_id, f"label::{LANG_EN}": label_en}


def _question(f: FieldDef) -> dict[str, Any]:
    kind = {
        "text": "text",
        "long_text": "text",
        "date": "date",
        "integer": "integer",
        "yes_no": "select_one yes_no",
        "nik": "text",
        "phone": "text",
        "country": "select_one country",
        "province": "select_one province",
        "regency": "select_one regency",
        "region": "text",
    }.get(f.type)
    if f.type == "select_one":
        kind = f"select_one {f.vocab}"
    elif f.type == "select_multiple":
        kind = f"select_multiple {f.vocab}"
    row: dict[str, Any] = {
        "type": kind,
        "name": f.name,
        **label_columns(f.label_id, f.label_en),
        f"hint::{LANG_ID}": f.hint_id,
        f"hint::{LANG_EN}": f.hint_en,
        "required": "yes" if f.required else "",
        "relevant": f.relevant,
    }
    constraint, msg_id, msg_en = "", "", ""
    if f.type == "integer" and f.min is not None and f.max is not None:
        constraint = f". >= {f.min} and . <= {f.max}"
        msg_id, msg_en = f"Antara {f.min} dan {f.max}.", f"Between {f.min} and {f.max}."
    elif f.type == "date":
        constraint = ". <= today()"
        msg_id, msg_en = "Tanggal tidak boleh di masa depan.", "The date cannot be in the future."
    elif f.type == "nik":
        constraint = _NIK_CONSTRAINT
        msg_id, msg_en = "NIK harus tepat 16 digit.", "A NIK must be exactly 16 digits."
    elif f.type == "phone":
        constraint = _PHONE_CONSTRAINT
        msg_id, msg_en = "Nomor telepon tidak sah.", "Not a valid phone number."
    elif f.type == "region":
        constraint = _REGION_CONSTRAINT
        msg_id, msg_en = "Kode BPS 2 atau 4 digit.", "A 2- or 4-digit BPS code."
    row.update(
        {
            "constraint": constraint,
            f"constraint_message::{LANG_ID}": msg_id,
            f"constraint_message::{LANG_EN}": msg_en,
        }
    )
    if f.type == "long_text":
        row["appearance"] = "multiline"
    if f.type in {"country", "province", "regency"}:
        row["appearance"] = "autocomplete"
    if f.type == "regency":
        row["choice_filter"] = "province=${origin_province}"
    return _row(**row)


def survey_rows() -> list[dict[str, Any]]:
    """The survey sheet: groups, questions, the child/adult calculation and notes."""
    rows: list[dict[str, Any]] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
    ]
    form_fields = [f for f in fields() if f.form]
    for group, label_id, label_en in groups():
        members = [f for f in form_fields if f.group == group]
        if not members:
            continue
        rows.append(_row(type="begin_group", name=group, **label_columns(label_id, label_en)))
        for f in members:
            rows.append(_question(f))
            if f.name == "estimated_age":
                rows.append({"type": "calculate", "name": "age_years", "calculation": _AGE_YEARS})
                rows.append({"type": "calculate", "name": "is_child", "calculation": _IS_CHILD})
                rows.append(
                    _row(
                        type="note",
                        name="child_note",
                        relevant="${is_child} = 'yes'",
                        **label_columns(
                            "Penyintas adalah anak (di bawah 18 tahun). Pertanyaan tentang "
                            "perkawinan dan pekerja migran dilewati.",
                            "The survivor is a child (under 18). Questions on marriage and "
                            "migrant work are skipped.",
                        ),
                    )
                )
        rows.append({"type": "end_group", "name": group})
    return rows


def _choice_rows(vocab: Vocabulary) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    used = sorted({f.vocab for f in fields() if f.form and f.vocab})
    for name in used:
        for code, labels in vocab[name].items():
            rows.append(
                {
                    "list_name": name,
                    "name": code,
                    **label_columns(labels.get("id", code), labels.get("en", code)),
                }
            )
    rows.append({"list_name": "yes_no", "name": "yes", **label_columns("Ya", "Yes")})
    rows.append({"list_name": "yes_no", "name": "no", **label_columns("Tidak", "No")})
    for c in sorted(reference.countries().values(), key=lambda c: c.name_id):
        rows.append(
            {"list_name": "country", "name": c.alpha2, **label_columns(c.name_id, c.name_en)}
        )
    for code, p in reference.provinces().items():
        rows.append({"list_name": "province", "name": code, **label_columns(p.name, p.name)})
    for code, r in reference.regencies().items():
        rows.append(
            {
                "list_name": "regency",
                "name": code,
                **label_columns(r.name, r.name),
                "province": r.province_code,
            }
        )
    return rows


def write_xlsform(
    questions: list[dict[str, Any]],
    options: list[dict[str, Any]],
    settings: dict[str, str],
) -> bytes:
    """An XLSForm workbook (sheets survey, choices, settings) as .xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(list(SURVEY_COLUMNS))
    for row in questions:
        survey.append([row.get(c, "") for c in SURVEY_COLUMNS])
    choices = book.create_sheet("choices")
    choices.append(list(CHOICE_COLUMNS))
    for row in options:
        choices.append([row.get(c, "") for c in CHOICE_COLUMNS])
    sheet = book.create_sheet("settings")
    sheet.append(list(settings))
    sheet.append(list(settings.values()))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def build_xlsform(vocab: Vocabulary, *, version: str = "") -> bytes:
    """The intake XLSForm as .xlsx bytes (sheets survey, choices, settings)."""
    return write_xlsform(
        survey_rows(),
        _choice_rows(vocab),
        {
            "form_title": "Lentera – formulir penerimaan kasus / case intake",
            "form_id": FORM_ID,
            "version": version or fields_version().replace("lentera-intake/", ""),
            "default_language": LANG_ID,
            "allow_choice_duplicates": "no",
        },
    )


def to_xform(xlsform: bytes, *, validate: bool = False, warnings: list[str] | None = None) -> str:
    """Convert the XLSForm to XForm XML with pyxform; ``validate`` also runs ODK Validate (Java)."""
    from pyxform.xls2xform import convert

    result = convert(
        xlsform=xlsform,
        warnings=warnings if warnings is not None else [],
        validate=validate,
        form_name="data",
        file_type=".xlsx",
    )
    return str(result.xform)
