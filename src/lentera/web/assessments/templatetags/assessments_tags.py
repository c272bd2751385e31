"""Template filters of the legal assessment: penalties in words, restitution heads, outcomes."""

from __future__ import annotations

from typing import Any

from django import template

from lentera.law import load_kb
from lentera.web.assessments.labels import OUTCOMES
from lentera.web.assessments.words import penalty_text
from lentera.web.core.i18n import pick

register = template.Library()


@register.filter
def penalty(p: dict[str, Any] | None) -> str:
    """A penalty range of ``lentera.qualification/1`` in words."""
    if not p:
        return "—"
    return penalty_text(p)


@register.filter
def restitution_head(code: str) -> str:
    """The label of a restitution head of the law knowledge base, in the reader's language."""
    for head in load_kb().restitution["heads"]:
        if head["code"] == code:
            return pick(head, "label")
    return code


@register.filter
def outcome_label(code: str) -> str:
    """The label of a legal assessment's outcome code."""
    return str(OUTCOMES.get(code, code))
