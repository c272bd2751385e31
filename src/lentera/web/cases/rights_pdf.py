"""The survivor's copy of their data (UU 27/2022 Pasal 7): a document a person can read.

Headings and labels in the survivor's language, values in words (no field keys, no codes, no
JSON), dates as "2 Desember 2026", every script of a name printed (:mod:`lentera.pdf_fonts`).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from lentera import reference
from lentera.web.cases import choices
from lentera.web.cases.models import Case, CaseSurvivor, Consent, Person, TraffickingEvent
from lentera.web.core.contradictions import human_date

#: every multiple-choice field the PDF may show, with its vocabulary
_LISTS = {**choices.LIST_CHOICES, "shared_fields": choices.SharedField}


def _label(model: type[models.Model], key: str) -> str:
    try:
        text = str(model._meta.get_field(key).verbose_name)
    except FieldDoesNotExist:
        text = key.replace("_", " ")
    return text[:1].upper() + text[1:]


def _date(value: Any) -> str:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return human_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return human_date(value) if isinstance(value, dt.date) else str(value)


def _region(code: str) -> str:
    region = reference.regencies().get(code) or reference.provinces().get(code)
    return region.name if region else code


def _value(model: type[models.Model], key: str, value: Any) -> str:
    if value is None or value == "":
        return _("not recorded")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in _LISTS and isinstance(value, list):
        known = dict(_LISTS[key].choices)
        return ", ".join(str(known.get(v, v)) for v in value) or "—"
    if key.endswith(("_on", "_at", "date")) or key in {"birth_date", "sent_at"}:
        return _date(value)
    if key.endswith(("province_code", "regency_code", "region_code")):
        return _region(str(value))
    if key in {"citizenship", "country"}:
        country = reference.countries().get(str(value))
        return country.name_id if country else str(value)
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        field = None
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in value.items() if v)
    return str(value)


def _rows(model: type[models.Model], mapping: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (_label(model, k), _value(model, k, v))
        for k, v in mapping.items()
        if v not in (None, "", [])
    ]


def render(data: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from lentera.pdf_fonts import markup, page_number, pdf_styles

    styles = pdf_styles()
    story: list[Any] = []

    def heading(text: str, level: int = 2) -> None:
        story.append(Paragraph(markup(text), styles[f"Heading{level}"]))

    def para(text: str) -> None:
        story.append(Paragraph(markup(text), styles["BodyText"]))

    def table(rows: list[tuple[str, str]]) -> None:
        if not rows:
            para(_("Nothing recorded."))
            return
        cells = [
            [Paragraph(markup(a), styles["BodyText"]), Paragraph(markup(b), styles["BodyText"])]
            for a, b in rows
        ]
        t = Table(cells, colWidths=[5.5 * cm, 11 * cm])
        t.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f1ec")),
        ]))  # fmt: skip
        story.append(t)
        story.append(Spacer(1, 6))

    story.append(Paragraph(markup(_("Data held on this person")), styles["Title"]))
    para(
        _(
            "This is everything %(org)s holds about you in Lentera, as of %(date)s. You may ask "
            "for any of it to be corrected or deleted (UU 27/2022 tentang Pelindungan Data "
            "Pribadi)."
        )
        % {"org": data["organisation"], "date": _date(data["exported_at"])}
    )
    heading(_("Identity"))
    table(_rows(Person, data["person"]))
    for case in data["cases"]:
        heading(_("Case %(ref)s") % {"ref": case["reference"]})
        table(_rows(Case, {k: case.get(k) for k in ("status", "opened_on", "offence_date")}))
        if case.get("summary"):
            heading(_("Summary"), 3)
            para(case["summary"])
        heading(_("Your part in the case"), 3)
        table(_rows(CaseSurvivor, case.get("in_case", {})))
        if case.get("events"):
            heading(_("Journey"), 3)
            for e in case["events"]:
                stage = dict(choices.EventStage.choices).get(e.get("stage"), e.get("stage"))
                where = ", ".join(
                    x
                    for x in (
                        e.get("place"),
                        _region(e["region_code"]) if e.get("region_code") else "",
                        _value(TraffickingEvent, "country", e.get("country"))
                        if e.get("country")
                        else "",
                    )
                    if x
                )
                line = f"{_date(e['date']) if e.get('date') else '—'} · {stage}"
                if where:
                    line += f" · {where}"
                para(line + (f" — {e['description']}" if e.get("description") else ""))
        if case.get("notes"):
            heading(_("Notes"), 3)
            for note in case["notes"]:
                para(f"{_date(note['at'])} — {note['body']}")
        for r in case.get("referrals", []):
            heading(_("Referral %(n)s") % {"n": r["number"]}, 3)
            table([
                (_("Provider"), r["provider"]),
                (_("Sent"), _date(r["sent_at"])),
                (_("Data passed on"), _value(Consent, "shared_fields", r.get("shared_fields"))),
            ])  # fmt: skip
        for a in case.get("support_plan", []):
            para(f"{a.get('objective', '')} — {_date(a['planned_end'])}")
        for s in case.get("legal_steps", []):
            para(f"{_date(s['date'])} · {s['step'].replace('_', ' ')}")
    heading(_("Consent"))
    for c in data["consents"]:
        purpose = dict(choices.ConsentPurpose.choices).get(c["purpose"], c["purpose"])
        state = _("given") if c["granted"] else _("refused")
        line = f"{purpose}: {state} ({_date(c['recorded_at'])})"
        if c.get("withdrawn_at"):
            line += " — " + _("withdrawn on %(d)s") % {"d": _date(c["withdrawn_at"])}
        para(line + (f". {c['note']}" if c.get("note") else ""))
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf, pagesize=A4, title="Lentera", initialFontName=styles["BodyText"].fontName
    ).build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()
