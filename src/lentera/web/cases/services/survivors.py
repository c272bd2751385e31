"""A survivor's part in a case: add (new or already recorded), edit, remove."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.services import Versioned, save_created
from lentera.web.cases import choices
from lentera.web.cases.fields import LINK_FIELDS
from lentera.web.cases.models import Case, CaseSurvivor, DeletedRow, Person
from lentera.web.cases.services.cases import refresh_case_indexes
from lentera.web.cases.services.checks import check_age, other_specified, survivor_contradictions
from lentera.web.cases.services.deletions import delete_keeping_copy
from lentera.web.cases.services.persons import person_create, person_update
from lentera.web.core.access import require_case_edit
from lentera.web.core.services import assign, clean, not_found
from lentera.web.core.validators import validate_codes, validate_not_future

__all__ = [
    "case_survivor_add",
    "case_survivor_create",
    "case_survivor_edit",
    "case_survivor_remove",
    "case_survivor_update",
    "link_build",
    "link_checks",
]


def link_checks(link: CaseSurvivor) -> dict[str, Callable[[], object]]:
    """The survivor-in-case field checks beyond the model's own."""
    checks: dict[str, Callable[[], object]] = {
        name: (lambda n=name, c=enum: validate_codes(getattr(link, n), c.values))
        for name, enum in choices.LIST_CHOICES.items()
    }
    checks["age_at_offence"] = lambda: check_age(link.age_at_offence)
    checks["other_specified"] = lambda: other_specified(
        link.other_specified,
        link.exploitation_types,
        link.sex_exploitation_types,
        link.recruitment_apps,
        link.means_of_control,
        [link.recruitment_method],
    )
    checks["interviewed_on"] = lambda: validate_not_future(link.interviewed_on)
    return checks


def _finish_link(link: CaseSurvivor, exclude: tuple[str, ...] = ()) -> None:
    """Lists de-duplicated, then validated with the contradictions to the case."""
    for name in choices.LIST_CHOICES:
        value = getattr(link, name)
        if isinstance(value, list):
            setattr(link, name, list(dict.fromkeys(value)))
    clean(
        link,
        link_checks(link),
        exclude=exclude,
        contradictions=survivor_contradictions(link.person, link, link.case),
    )


_EDIT = Versioned(
    LINK_FIELDS, _finish_link, rows=lambda: CaseSurvivor.objects.select_related("case")
)


def link_build(*, case: Case, person: Person, **fields: Any) -> CaseSurvivor:
    """A survivor's part in a case, validated (with the contradictions to the case) but not saved."""
    link = CaseSurvivor(case=case, person=person)
    assign(link, fields, LINK_FIELDS)
    _finish_link(link, exclude=("case", "person"))
    return link


@transaction.atomic
def case_survivor_add(*, actor: User, case: Case, person: Person, **fields: Any) -> CaseSurvivor:
    """Put a survivor (already recorded) into a case."""
    require_case_edit(actor, case)
    if person.organisation_id != case.organisation_id:
        raise not_found(_("Survivor not found."))
    link = link_build(case=case, person=person, **fields)
    detail = {"case": case.pk, "person": person.pk, "fields": sorted(fields)}
    try:
        with transaction.atomic():
            save_created(actor=actor, obj=link, detail=detail)
    except IntegrityError as exc:
        raise LenteraError(
            "duplicate_survivor", _("This survivor is already in the case."), kind="conflict"
        ) from exc
    refresh_case_indexes(case)
    return link


@transaction.atomic
def case_survivor_create(
    *,
    actor: User,
    case: Case,
    person_fields: Mapping[str, Any],
    link_fields: Mapping[str, Any] | None = None,
) -> CaseSurvivor:
    """Record a new survivor and put them into a case, all or nothing."""
    person = person_create(actor=actor, **person_fields)
    return case_survivor_add(actor=actor, case=case, person=person, **(link_fields or {}))


@transaction.atomic
def case_survivor_update(
    *, actor: User, link: CaseSurvivor, version: int | None = None, **fields: Any
) -> CaseSurvivor:
    """Edit a survivor's part in a case; refuses a stale edit."""
    require_case_edit(actor, link.case)
    link, changed = _EDIT.edit(actor, link, version, fields)
    if changed:
        refresh_case_indexes(link.case)
    return link


@transaction.atomic
def case_survivor_edit(
    *,
    actor: User,
    link: CaseSurvivor,
    person_fields: Mapping[str, Any],
    link_fields: Mapping[str, Any],
    person_version: int | None = None,
    link_version: int | None = None,
) -> CaseSurvivor:
    """Edit a survivor's personal data and their part in the case together, all or nothing."""
    person_update(actor=actor, person=link.person, version=person_version, **person_fields)
    return case_survivor_update(actor=actor, link=link, version=link_version, **link_fields)


@transaction.atomic
def case_survivor_remove(*, actor: User, link: CaseSurvivor) -> DeletedRow:
    """Take a survivor out of a case; their own record is kept."""
    require_case_edit(actor, link.case)
    case = link.case
    copy = delete_keeping_copy(actor=actor, obj=link, case=case, person_id=link.person_id)
    refresh_case_indexes(case)
    return copy
