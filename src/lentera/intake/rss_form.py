"""The follow-up survey (Reintegration Sustainability Survey) as an XLSForm, and its reader.

Outreach workers run it offline in KoboToolbox or ODK Collect at each
follow-up (return, 3, 6, 12 months): who (survivor pseudonym or record id),
when, whether the survivor was reached, and one question per RSS indicator.
Questions, answer options and codes come from the RSS catalogue
(:mod:`lentera.reintegration`), so a submission maps onto a
``lentera.rss-visit/1`` document without a column map
(:func:`visit_from_submission`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lentera.intake.xlsform import LANG_EN, LANG_ID, label_columns, write_xlsform
from lentera.reintegration import DIMENSIONS, Catalogue, RssVisit, load_catalogue, parse_visit
from lentera.reintegration.engine import check_answers

__all__ = ["RSS_FORM_ID", "build_rss_xlsform", "rss_survey_rows", "visit_from_submission"]

RSS_FORM_ID = "lentera_rss"
#: same rule as the visit contract's ``survivor`` field
_SURVIVOR_CONSTRAINT = r"regex(., '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$')"
_COMPLETED = "${outcome} = 'completed'"
VISIT_LABELS = (
    ("return", "Saat kepulangan", "At return"),
    ("month_3", "3 bulan", "3 months"),
    ("month_6", "6 bulan", "6 months"),
    ("month_12", "12 bulan", "12 months"),
    ("other", "Lainnya", "Other"),
)
OUTCOMES = (
    ("completed", "Penyintas ditemui dan survei dijalankan", "Survivor reached, survey done"),
    ("not_reached", "Tidak dapat dihubungi", "Could not be reached"),
    ("refused", "Penyintas menolak survei", "Survivor declined the survey"),
)


def _list_name(scale: str) -> str:
    return f"rss_{scale}"


def rss_survey_rows(cat: Catalogue | None = None) -> list[dict[str, Any]]:
    """The survey sheet: visit fields, then one group of questions per dimension."""
    cat = cat or load_catalogue()
    rows: list[dict[str, Any]] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {
            "type": "text",
            "name": "survivor",
            **label_columns("Kode/pseudonim penyintas", "Survivor code or pseudonym"),
            f"hint::{LANG_ID}": "Kode kasus atau pseudonim dari Lentera, bukan nama asli.",
            f"hint::{LANG_EN}": "The case code or pseudonym from Lentera, not the real name.",
            "required": "yes",
            "constraint": _SURVIVOR_CONSTRAINT,
            f"constraint_message::{LANG_ID}": "Huruf, angka dan . _ : / - saja, tanpa spasi.",
            f"constraint_message::{LANG_EN}": "Letters, digits and . _ : / - only, no spaces.",
        },
        {
            "type": "date",
            "name": "visit_date",
            **label_columns("Tanggal kunjungan atau telepon", "Date of the visit or call"),
            "required": "yes",
            "constraint": ". <= today()",
            f"constraint_message::{LANG_ID}": "Tanggal tidak boleh di masa depan.",
            f"constraint_message::{LANG_EN}": "The date cannot be in the future.",
        },
        {
            "type": "select_one rss_visit_label",
            "name": "visit_label",
            **label_columns("Jadwal tindak lanjut", "Follow-up slot"),
        },
        {
            "type": "select_one rss_outcome",
            "name": "outcome",
            **label_columns("Hasil kunjungan", "Outcome of the visit"),
            "required": "yes",
        },
        {
            "type": "note",
            "name": "lost_note",
            "relevant": "${outcome} != 'completed'",
            **label_columns(
                "Tidak ada pertanyaan survei. Kunjungan tetap dicatat: penyintas yang tidak "
                "terjangkau juga merupakan angka yang penting.",
                "No survey questions. The visit is still recorded: survivors lost to "
                "follow-up are a figure too.",
            ),
        },
    ]
    for dim in DIMENSIONS:
        meta = cat.dimensions[dim]
        rows.append(
            {
                "type": "begin_group",
                "name": dim,
                "relevant": _COMPLETED,
                **label_columns(str(meta["label_id"]), str(meta["label_en"])),
            }
        )
        for ind in cat.by_dimension(dim):
            rows.append(
                {
                    "type": f"select_one {_list_name(ind.scale)}",
                    "name": ind.name,
                    **label_columns(ind.question_id, ind.question_en),
                    f"hint::{LANG_ID}": ind.label_id,
                    f"hint::{LANG_EN}": ind.label_en,
                }
            )
        rows.append({"type": "end_group", "name": dim})
    return rows


def _choice_rows(cat: Catalogue) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for code, label_id, label_en in VISIT_LABELS:
        rows.append(
            {"list_name": "rss_visit_label", "name": code, **label_columns(label_id, label_en)}
        )
    for code, label_id, label_en in OUTCOMES:
        rows.append({"list_name": "rss_outcome", "name": code, **label_columns(label_id, label_en)})
    used = {ind.scale for ind in cat.indicators.values()}
    for scale, options in cat.scales.items():
        if scale not in used:
            continue
        for o in options:
            rows.append(
                {
                    "list_name": _list_name(scale),
                    "name": o.code,
                    **label_columns(o.label_id, o.label_en),
                }
            )
    return rows


def build_rss_xlsform(cat: Catalogue | None = None) -> bytes:
    """The follow-up survey XLSForm as .xlsx bytes (sheets survey, choices, settings)."""
    cat = cat or load_catalogue()
    return write_xlsform(
        rss_survey_rows(cat),
        _choice_rows(cat),
        {
            "form_title": "Lentera – survei tindak lanjut reintegrasi / reintegration follow-up",
            "form_id": RSS_FORM_ID,
            "version": cat.version,
            "default_language": LANG_ID,
        },
    )


def visit_from_submission(
    submission: Mapping[str, Any], *, catalogue: Catalogue | None = None
) -> RssVisit:
    """A KoboToolbox/ODK submission of the follow-up form → a checked visit.

    Keys may carry their group path (``economic/work``) or not (``work``);
    meta fields (``_id``, ``start``, ``meta/instanceID`` …) are ignored; an
    empty answer is unanswered. Raises :class:`~lentera.errors.LenteraError`
    naming the field (``answers.<dimension>.<name>`` for a bad answer code).
    """
    cat = catalogue or load_catalogue()
    by_name = cat.by_name()
    visit: dict[str, Any] = {"catalogue": cat.id}
    answers: dict[str, str] = {}
    for key, value in submission.items():
        name = str(key).rsplit("/", 1)[-1]
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        if name in ("survivor", "visit_date", "visit_label", "outcome"):
            visit[name] = text
        elif name in by_name:
            answers[by_name[name].id] = text
    visit["answers"] = answers
    result = parse_visit(visit)
    check_answers(result, cat)
    return result
