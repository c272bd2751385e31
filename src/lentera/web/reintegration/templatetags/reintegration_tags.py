"""``{% reintegration_due_panel %}``: the due and overdue follow-ups panel for dashboards."""

from __future__ import annotations

from typing import Any

from django import template

from lentera.errors import LenteraError
from lentera.web.reintegration.selectors import due_followups_for_user

register = template.Library()


@register.inclusion_tag("reintegration/_due_panel.html", takes_context=True)
def reintegration_due_panel(context: Any, limit: int = 10) -> dict[str, Any]:
    request = context.get("request")
    try:
        rows = due_followups_for_user(actor=request.user, limit=limit) if request else []
    except LenteraError:
        rows = []
    return {"rows": rows}
