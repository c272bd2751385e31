"""The referral letter (surat rujukan), DOCX or PDF, Bahasa Indonesia by default.

Built only from the referral's frozen payload, so it can never carry more than
the survivor's consent (or the supervisor's override) allowed. Every download is
an audited export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lentera import reference
from lentera.web.accounts.models import User
from lentera.web.assessments.memo import Block, render_docx, render_pdf
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.choices import ExploitationType, RecruitmentMethod, Sex
from lentera.web.core.contradictions import human_date
from lentera.web.core.i18n import LANGUAGES, current_lang
from lentera.web.core.people import person_name
from lentera.web.referrals import choices
from lentera.web.referrals.models import Referral
from lentera.web.referrals.selectors import side_of


def _label(vocab: Any, code: str) -> str:
    try:
        return str(vocab(code).label)
    except ValueError:
        return code


def _day(iso: str | None) -> str:
    try:
        return human_date(dt.date.fromisoformat(iso)) if iso else "—"
    except ValueError:
        return iso or "—"


def letter_blocks(referral: Referral) -> list[Block]:
    p = referral.payload_data
    provider = referral.provider
    shared = set(p.get("shared_fields", []))
    sent_on = human_date(timezone.localdate(referral.sent_at))
    blocks: list[Block] = [
        ("h1", p.get("from_organisation", "") or _("Referral letter")),
        ("h2", _("Referral letter")),
        ("p", _("Number %(n)s · %(date)s") % {"n": referral.number, "date": sent_on}),
        (
            "p",
            _("Subject: referral of a survivor of trafficking for %(services)s")
            % {
                "services": ", ".join(_label(choices.ServiceType, x) for x in p.get("services", []))
            },
        ),
        ("p", _("From: %(org)s") % {"org": p.get("from_organisation", "")}),
        (
            "p",
            _("To: %(name)s (%(kind)s)")
            % {"name": provider.name, "kind": provider.get_institution_type_display()},
        ),
    ]
    contact = ", ".join(x for x in (provider.address, provider.phone, provider.email) if x)
    if contact:
        blocks.append(("p", contact))
    blocks += [
        ("h2", _("Services requested")),
        ("bullets", [_label(choices.ServiceType, s) for s in p.get("services", [])]),
        (
            "p",
            _("Urgency: %(u)s. Please answer by %(d)s.")
            % {"u": _label(choices.Urgency, p.get("urgency", "")), "d": _day(p.get("due_date"))},
        ),
        ("h2", _("The person referred")),
    ]
    rows: list[tuple[str, str]] = [(_("Item"), _("Recorded"))]
    if "name" in shared:
        rows.append((_("Name"), p.get("full_name") or "—"))
        if p.get("other_names"):
            rows.append((_("Other names"), p["other_names"]))
    else:
        rows.append((_("Reference"), p.get("pseudonym") or referral.number))
    if "sex_age" in shared:
        rows.append((_("Sex"), _label(Sex, p.get("sex") or "unknown")))
        age = p.get("age")
        rows.append((_("Age"), str(age) if age is not None else _("unknown")))
    if "nik" in shared:
        rows.append((_("NIK"), p.get("nik") or "—"))
    if "contact" in shared:
        rows.append((_("Phone"), p.get("phone") or "—"))
    if "address" in shared:
        region = reference.region_name(p.get("origin_regency_code") or "") or (
            reference.region_name(p.get("origin_province_code") or "") or ""
        )
        rows.append(
            (_("Address"), ", ".join(x for x in (p.get("origin_address"), region) if x) or "—")
        )
    if "exploitation" in shared:
        rows.append(
            (
                _("Exploitation"),
                ", ".join(_label(ExploitationType, c) for c in p.get("exploitation_types") or [])
                or "—",
            )
        )
        if p.get("recruitment_method"):
            rows.append((_("Recruitment"), _label(RecruitmentMethod, p["recruitment_method"])))
        if p.get("destination_countries"):
            rows.append(
                (
                    _("Destination"),
                    ", ".join(
                        reference.country_name(c, current_lang()) or c
                        for c in p["destination_countries"]
                    ),
                )
            )
    blocks.append(("table", rows))
    blocks += [("h2", _("Reason for referral")), ("p", p.get("reason") or "—")]
    if referral.consent_id:
        basis = _("Shared with the survivor's referral consent recorded on %(d)s (%(v)s).") % {
            "d": human_date(timezone.localdate(referral.consent.recorded_at)),
            "v": referral.consent.form_version,
        }
    else:
        basis = _(
            "Shared without a recorded consent by decision of a supervisor of the sending "
            "organisation; the reason is kept on file there."
        )
    blocks += [
        ("h2", _("Basis for sharing")),
        ("p", basis),
        (
            "p",
            _(
                "Confidential. Use these data only to provide the services requested, do not pass "
                "them on, and tell the sending organisation whether you accept this referral."
            ),
        ),
        (
            "p",
            _("Contact at %(org)s: %(who)s")
            % {
                "org": p.get("from_organisation", ""),
                "who": person_name(referral.created_by),
            },
        ),
        ("p", sent_on),
        ("p", _("Yours sincerely,")),
        ("p", "\u00a0"),
        ("p", "\u00a0"),
        ("p", _("(signature and stamp)")),
        ("p", person_name(referral.created_by)),
        ("p", p.get("from_organisation", "")),
    ]
    return blocks


def letter_file(
    *, actor: User, referral: Referral, fmt: str, lang: str = "id"
) -> tuple[bytes, str, str]:
    """(content, filename, content type); audited as an export."""
    side = side_of(actor, referral)
    if lang not in LANGUAGES:
        lang = LANGUAGES[0]
    with translation.override(lang):
        blocks = letter_blocks(referral)
        content = (
            render_docx(blocks)
            if fmt == "docx"
            else render_pdf(blocks, title=str(_("Referral letter")))
        )
    audit_log(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=referral,
        detail={
            "kind": "referral_letter",
            "format": fmt,
            "lang": lang,
            "side": side,
            "shared_fields": referral.shared_fields,
            "at": timezone.now().date().isoformat(),
        },
    )
    ctype = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if fmt == "docx"
        else "application/pdf"
    )
    return content, f"rujukan-{referral.number}.{fmt}", ctype
