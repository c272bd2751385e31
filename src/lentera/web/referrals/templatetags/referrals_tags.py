"""Template tags of referrals and the legal process: step and deadline labels, and the
referral list a case page shows (the cases app sits below referrals in the layers, so its
views cannot ask for referrals; its template does, through :func:`case_referrals`)."""

from __future__ import annotations

from django import template

from lentera.web.cases.models import Case
from lentera.web.referrals.labels import deadline_label as _deadline_label
from lentera.web.referrals.labels import step_label as _step_label
from lentera.web.referrals.models import Referral
from lentera.web.referrals.selectors import referrals_of_case

register = template.Library()


@register.filter
def step_label(code: str) -> str:
    """The label of a legal-process step code."""
    return _step_label(code)


@register.filter
def deadline_label(deadline_id: str) -> str:
    """The label of a legal-process deadline id."""
    return _deadline_label(deadline_id)


@register.simple_tag
def case_referrals(case: Case) -> list[Referral]:
    """Every referral of ``case``, newest first; the case view has already checked access."""
    return referrals_of_case(case)
