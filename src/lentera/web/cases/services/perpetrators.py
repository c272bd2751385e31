"""The perpetrators of a case: add, edit, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log, save_edit
from lentera.web.cases import choices
from lentera.web.cases.fields import PERPETRATOR_FIELDS
from lentera.web.cases.models import Case, DeletedRow, Perpetrator
from lentera.web.cases.services.checks import other_specified
from lentera.web.cases.services.deletions import delete_keeping_copy
from lentera.web.core.access import require_case_edit
from lentera.web.core.services import assign, check_version, clean
from lentera.web.core.validators import validate_codes, validate_country_code

__all__ = [
    "perpetrator_add",
    "perpetrator_build",
    "perpetrator_checks",
    "perpetrator_delete",
    "perpetrator_update",
]


def perpetrator_checks(p: Perpetrator) -> dict[str, Callable[[], object]]:
    """The perpetrator's field checks beyond the model's own."""
    return {
        "other_specified": lambda: other_specified(p.other_specified, p.roles),
        "roles": lambda: validate_codes(p.roles, choices.PerpetratorRole.values),
        "nationality": lambda: validate_country_code(p.nationality),
    }


def _perpetrator_defaults(p: Perpetrator) -> None:
    """Roles are a set kept in the order given (on create and on every edit)."""
    p.roles = list(dict.fromkeys(p.roles or []))


def perpetrator_build(*, case: Case, **fields: Any) -> Perpetrator:
    """A perpetrator of the case, validated but not saved."""
    p = Perpetrator(case=case)
    assign(p, fields, PERPETRATOR_FIELDS)
    _perpetrator_defaults(p)
    clean(p, perpetrator_checks(p), exclude=["case"])
    return p


@transaction.atomic
def perpetrator_add(*, actor: User, case: Case, **fields: Any) -> Perpetrator:
    """Record a perpetrator of the case."""
    require_case_edit(actor, case)
    p = perpetrator_build(case=case, **fields)
    p.save()
    audit_log(
        actor=actor,
        action=AuditAction.CREATE,
        obj=p,
        detail={"case": case.pk, "fields": sorted(fields)},
    )
    return p


@transaction.atomic
def perpetrator_update(
    *, actor: User, perpetrator: Perpetrator, version: int | None = None, **fields: Any
) -> Perpetrator:
    """Edit a perpetrator; refuses a stale edit."""
    require_case_edit(actor, perpetrator.case)
    p = Perpetrator.objects.select_for_update().get(pk=perpetrator.pk)
    check_version(p, version, fields)
    changed = assign(p, fields, PERPETRATOR_FIELDS)
    _perpetrator_defaults(p)
    clean(p, perpetrator_checks(p))
    save_edit(actor=actor, obj=p, changed=changed)
    return p


@transaction.atomic
def perpetrator_delete(*, actor: User, perpetrator: Perpetrator) -> DeletedRow:
    """Delete a perpetrator from the case."""
    require_case_edit(actor, perpetrator.case)
    pk, case_pk = perpetrator.pk, perpetrator.case_id
    copy = delete_keeping_copy(actor=actor, obj=perpetrator, case=perpetrator.case)
    audit_log(
        actor=actor,
        action=AuditAction.DELETE,
        object_type="cases.perpetrator",
        object_id=pk,
        detail={"case": case_pk, "undo_until": copy.expires_at.isoformat()},
    )
    return copy
