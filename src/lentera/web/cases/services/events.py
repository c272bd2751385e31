"""The trafficking journey of a case (recruitment, transit, exploitation…): add, edit, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lentera.web.accounts.models import User
from lentera.web.cases.fields import EVENT_FIELDS
from lentera.web.cases.models import Case, DeletedRow, TraffickingEvent
from lentera.web.cases.services.case_rows import CaseRows
from lentera.web.core.validators import (
    validate_country_code,
    validate_not_future,
    validate_region_code,
)

__all__ = ["event_add", "event_build", "event_checks", "event_delete", "event_update"]


def event_checks(e: TraffickingEvent) -> dict[str, Callable[[], object]]:
    """The event's field checks beyond the model's own."""

    def region_needs_indonesia() -> None:
        validate_region_code(e.region_code)
        if e.region_code and e.country and e.country != "ID":
            raise ValidationError(
                _("A region code applies only to places in Indonesia."), code="region_outside_id"
            )

    return {
        "country": lambda: validate_country_code(e.country),
        "region_code": region_needs_indonesia,
        "date": lambda: validate_not_future(e.date),
    }


def _event_defaults(e: TraffickingEvent) -> None:
    """A region inside Indonesia implies the country (on create and on every edit)."""
    if e.region_code and not e.country:
        e.country = "ID"


_EVENTS = CaseRows(TraffickingEvent, EVENT_FIELDS, event_checks, _event_defaults)


def event_build(*, case: Case, **fields: Any) -> TraffickingEvent:
    """A step of the journey, validated but not saved."""
    return _EVENTS.build(case, fields)


@transaction.atomic
def event_add(*, actor: User, case: Case, **fields: Any) -> TraffickingEvent:
    """Record a step of the journey."""
    return _EVENTS.add(actor, case, fields)


@transaction.atomic
def event_update(
    *, actor: User, event: TraffickingEvent, version: int | None = None, **fields: Any
) -> TraffickingEvent:
    """Edit a step of the journey; refuses a stale edit."""
    return _EVENTS.update(actor, event, version, fields)


@transaction.atomic
def event_delete(*, actor: User, event: TraffickingEvent) -> DeletedRow:
    """Delete a step of the journey."""
    return _EVENTS.delete(actor, event)
