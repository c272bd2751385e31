"""Template filters: code → translated label, region and country names."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from lentera import reference
from lentera.web.cases import choices
from lentera.web.referrals import choices as referral_choices

register = template.Library()

_ENUMS = {
    "exploitation": choices.ExploitationType,
    "sex_exploitation": choices.SexExploitationType,
    "control": choices.MethodOfControl,
    "act": choices.LegalAct,
    "means": choices.LegalMeans,
    "harm": choices.Harm,
    "role": choices.PerpetratorRole,
    "app": choices.RecruitmentApp,
    "stage": choices.EventStage,
    "shared": choices.SharedField,
    "service": referral_choices.ServiceType,
    "language": referral_choices.Language,
}


@register.filter
def labels(codes: Any, kind: str) -> str:
    """Comma-separated translated labels of a list of codes."""
    enum = _ENUMS[kind]
    known = dict(enum.choices)
    return ", ".join(str(known.get(c, c)) for c in (codes or []))


@register.filter
def region(code: str) -> str:
    if not code:
        return ""
    return reference.region_name(code) or code


@register.filter
def country(code: str) -> str:
    if not code:
        return ""
    lang = (get_language() or "id")[:2]
    return reference.country_name(code, lang="en" if lang == "en" else "id") or code


@register.filter
def yesno_unknown(value: bool | None) -> str:
    from django.utils.translation import gettext as _

    return {True: _("Yes"), False: _("No")}.get(value, _("Unknown"))


@register.filter
def rupiah(value: Any) -> str:
    """``Rp1.500.000`` (Indonesian thousands separator)."""
    if value is None or value == "":
        return "—"
    return "Rp" + f"{int(value):,}".replace(",", ".")


@register.filter
def penalty(p: dict[str, Any] | None) -> str:
    """A penalty range of ``lentera.qualification/1`` in words."""
    if not p:
        return "—"
    from lentera.web.assessments.words import penalty_text

    return penalty_text(p)


@register.filter
def restitution_head(code: str) -> str:
    from django.utils.translation import get_language

    from lentera.law import load_kb

    for head in load_kb().restitution["heads"]:
        if head["code"] == code:
            return str(
                head["label_id"] if (get_language() or "id").startswith("id") else head["label_en"]
            )
    return code


@register.filter
def outcome_label(code: str) -> str:
    from lentera.web.assessments.labels import OUTCOMES

    return str(OUTCOMES.get(code, code))


@register.filter
def absval(value: int | None) -> int | None:
    return abs(value) if value is not None else None


@register.filter
def step_label(code: str) -> str:
    from lentera.web.referrals.labels import step_label as label

    return label(code)


@register.filter
def deadline_label(deadline_id: str) -> str:
    from lentera.web.referrals.labels import deadline_label as label

    return label(deadline_id)
