"""Org-scoped, audited reads of assessments."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.assessments.models import Screening
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import require_case_role


def screening_get_for_user(*, actor: Any, screening_id: int | str) -> Screening:
    membership = require_case_role(actor)
    row = (
        Screening.objects.select_related(
            "case_survivor__case", "case_survivor__person", "created_by"
        )
        .filter(pk=screening_id, organisation_id=membership.organisation_id)
        .first()
    )
    if row is None:
        audit_log(
            actor=actor,
            action=AuditAction.DENIED,
            object_type="assessments.screening",
            object_id=screening_id,
        )
        raise LenteraError("not_found", _("Screening not found."), kind="not_found")
    audit_log(actor=actor, action=AuditAction.READ, obj=row)
    return row
