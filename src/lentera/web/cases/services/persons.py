"""Recording and editing a survivor's personal data (encrypted, blind-indexed)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera import reference
from lentera.web.accounts.models import Membership, User
from lentera.web.audit.services import Versioned, save_created
from lentera.web.cases.blind_index import write_person_indexes
from lentera.web.cases.fields import PERSON_FIELDS
from lentera.web.cases.models import Person
from lentera.web.cases.services.cases import refresh_case_indexes
from lentera.web.cases.services.checks import check_age, nik_birth_date
from lentera.web.core import contradictions
from lentera.web.core.access import require_case_role, require_own_organisation
from lentera.web.core.services import assign, clean
from lentera.web.core.validators import (
    normalise_nik,
    validate_country_code,
    validate_nik,
    validate_plausible_birth_date,
    validate_province_code,
    validate_regency_code,
)

__all__ = ["person_build", "person_checks", "person_create", "person_update"]


def person_checks(person: Person) -> dict[str, Callable[[], object]]:
    """The person's field checks beyond the model's own (run by the service and the form)."""

    def region_consistent() -> None:
        if (
            person.origin_regency_code
            and person.origin_province_code
            and not person.origin_regency_code.startswith(person.origin_province_code)
        ):
            raise ValidationError(
                _("The regency/city is not in the chosen province."),
                code="regency_province_mismatch",
            )

    def birth_date_agrees() -> None:
        validate_plausible_birth_date(person.birth_date)
        found = contradictions.survivor_contradictions(
            birth_date=person.birth_date,
            nik_birth_date=nik_birth_date(person.nik),
            estimated_age=None,
            age_recorded_on=None,
            age_at_offence=None,
            offence_date=None,
        )
        if found:
            raise ValidationError(found["birth_date"])

    return {
        "nik": lambda: validate_nik(person.nik),
        "birth_date": birth_date_agrees,
        "citizenship": lambda: validate_country_code(person.citizenship),
        "origin_province_code": lambda: validate_province_code(person.origin_province_code),
        "origin_regency_code": lambda: (
            validate_regency_code(person.origin_regency_code),
            region_consistent(),
        ),
        "estimated_age": lambda: check_age(person.estimated_age),
    }


def _finish_person(person: Person, exclude: tuple[str, ...] = ()) -> None:
    """Normalise and derive (NIK, name, province from regency, when the age was given), then
    validate."""
    person.nik = normalise_nik(person.nik or "")
    person.full_name = (person.full_name or "").strip()
    if (
        person.origin_regency_code
        and not person.origin_province_code
        and person.origin_regency_code in reference.regencies()
    ):
        person.origin_province_code = person.origin_regency_code[:2]
    if person.estimated_age is not None and person.age_recorded_on is None:
        person.age_recorded_on = timezone.localdate()
    clean(person, person_checks(person), exclude=exclude)


_EDIT = Versioned(PERSON_FIELDS, _finish_person)


def person_build(*, actor: User, membership: Membership, **fields: object) -> Person:
    """A new survivor of the actor's organisation, validated but not saved (without indexes)."""
    person = Person(organisation=membership.organisation, created_by=actor)
    assign(person, fields, PERSON_FIELDS)
    # the organisation and the creator come from the actor: no query to prove that they exist
    _finish_person(person, exclude=("nik_index", "organisation", "created_by"))
    return person


@transaction.atomic
def person_create(*, actor: User, **fields: object) -> Person:
    """Record a survivor in the actor's organisation."""
    membership = require_case_role(actor)
    person = person_build(actor=actor, membership=membership, **fields)
    save_created(actor=actor, obj=person, detail={"fields": sorted(fields)})
    write_person_indexes(person)
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, version: int | None = None, **fields: object
) -> Person:
    """Edit a survivor's personal data; refuses a stale edit."""
    require_own_organisation(actor, person.organisation_id, message=_("Survivor not found."))
    person, changed = _EDIT.edit(actor, person, version, fields)
    if changed:
        write_person_indexes(person)
        for link in person.case_links.select_related("case"):
            refresh_case_indexes(link.case)
    return person
