"""The perpetrators of a case: add, edit, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from lentera.web.accounts.models import User
from lentera.web.cases import choices
from lentera.web.cases.fields import PERPETRATOR_FIELDS
from lentera.web.cases.models import Case, DeletedRow, Perpetrator
from lentera.web.cases.services.case_rows import CaseRows
from lentera.web.cases.services.checks import other_specified
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


_PERPETRATORS = CaseRows(Perpetrator, PERPETRATOR_FIELDS, perpetrator_checks, _perpetrator_defaults)


def perpetrator_build(*, case: Case, **fields: Any) -> Perpetrator:
    """A perpetrator of the case, validated but not saved."""
    return _PERPETRATORS.build(case, fields)


@transaction.atomic
def perpetrator_add(*, actor: User, case: Case, **fields: Any) -> Perpetrator:
    """Record a perpetrator of the case."""
    return _PERPETRATORS.add(actor, case, fields)


@transaction.atomic
def perpetrator_update(
    *, actor: User, perpetrator: Perpetrator, version: int | None = None, **fields: Any
) -> Perpetrator:
    """Edit a perpetrator; refuses a stale edit."""
    return _PERPETRATORS.update(actor, perpetrator, version, fields)


@transaction.atomic
def perpetrator_delete(*, actor: User, perpetrator: Perpetrator) -> DeletedRow:
    """Delete a perpetrator from the case."""
    return _PERPETRATORS.delete(actor, perpetrator)
