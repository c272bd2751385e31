"""Template filters every app shares: code → translated label, region and country names,
rupiah. Filters of one feature live with it (``assessments_tags``, ``referrals_tags``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from lentera import reference
from lentera.web.core.i18n import current_lang
from lentera.web.core.people import person_name

register = template.Library()

#: the choices behind ``|labels:"kind"``, by dotted path: they belong to the feature apps,
#: which sit above core in the layers (imported on first use)
_ENUMS = {
    "exploitation": "lentera.web.cases.choices.ExploitationType",
    "sex_exploitation": "lentera.web.cases.choices.SexExploitationType",
    "control": "lentera.web.cases.choices.MethodOfControl",
    "act": "lentera.web.cases.choices.LegalAct",
    "means": "lentera.web.cases.choices.LegalMeans",
    "harm": "lentera.web.cases.choices.Harm",
    "role": "lentera.web.cases.choices.PerpetratorRole",
    "app": "lentera.web.cases.choices.RecruitmentApp",
    "stage": "lentera.web.cases.choices.EventStage",
    "shared": "lentera.web.cases.choices.SharedField",
    "service": "lentera.web.referrals.choices.ServiceType",
    "language": "lentera.web.referrals.choices.Language",
    "dimension": "lentera.web.releases.forms.DIMENSION_CHOICES",
}


@register.filter
def labels(codes: Any, kind: str) -> str:
    """Comma-separated translated labels of a list of codes."""
    enum = import_string(_ENUMS[kind])
    known = dict(getattr(enum, "choices", enum))
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
    return reference.country_name(code, lang=current_lang()) or code


@register.filter
def yesno_unknown(value: bool | None) -> str:
    return {True: _("Yes"), False: _("No")}.get(value, _("Unknown"))


@register.filter
def rupiah(value: Any) -> str:
    """``Rp1.500.000`` (Indonesian thousands separator)."""
    if value is None or value == "":
        return "—"
    return "Rp" + f"{int(value):,}".replace(",", ".")


@register.filter
def absval(value: int | None) -> int | None:
    return abs(value) if value is not None else None


@register.filter
def person(user: Any) -> str:
    """A user as a person is named: the full name, the username when none was recorded."""
    return person_name(user)


@register.simple_tag
def source_line(text: str, lang: str = "en") -> str:
    """A citation copied from a data file, labelled with its own language when it is not the
    page's ("Sumber (dalam bahasa Inggris): …"), so an English reference on an Indonesian page
    reads as a quotation, not as an untranslated line."""
    if not text:
        return ""
    label = _("Source") if lang == current_lang() else _SOURCE_IN[lang]()
    return format_html('{}: <cite lang="{}">{}</cite>', label, lang, text)


_SOURCE_IN = {"en": lambda: _("Source (in English)"), "id": lambda: _("Source (in Indonesian)")}
