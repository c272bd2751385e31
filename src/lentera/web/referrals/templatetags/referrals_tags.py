"""Template filters of referrals and the legal process: step and deadline labels."""

from __future__ import annotations

from django import template

from lentera.web.referrals.labels import deadline_label as _deadline_label
from lentera.web.referrals.labels import step_label as _step_label

register = template.Library()


@register.filter
def step_label(code: str) -> str:
    """The label of a legal-process step code."""
    return _step_label(code)


@register.filter
def deadline_label(deadline_id: str) -> str:
    """The label of a legal-process deadline id."""
    return _deadline_label(deadline_id)
