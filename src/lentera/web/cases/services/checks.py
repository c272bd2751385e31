"""Field checks shared by the case services (and run early by the forms, see ``VersionedForm``).

Each returns nothing or raises a Django ``ValidationError``; :func:`lentera.web.core.services.clean`
turns them into messages on the field at fault.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lentera import linkage
from lentera.errors import LenteraError
from lentera.web.cases.models import Case, CaseSurvivor, Person
from lentera.web.core import contradictions
from lentera.web.core.validators import normalise_nik


def other_specified(text: str, *chosen: Any) -> None:
    """An "Other" answer needs its "sebutkan": what the other thing is."""
    if any("other" in (values or []) for values in chosen) and not (text or "").strip():
        raise ValidationError(_("“Other” is chosen: say what it is."), code="other_unspecified")


def check_age(age: int | None) -> None:
    """An age (estimated, or at the offence) between 0 and 120."""
    if age is not None and not 0 <= age <= 120:
        raise ValidationError(_("Age must be between 0 and 120."), code="age_range")


def nik_birth_date(nik: str) -> dt.date | None:
    """The date of birth a NIK encodes; None for no NIK or an invalid one."""
    try:
        return linkage.decode_nik(nik).birth_date if normalise_nik(nik or "") else None
    except LenteraError:
        return None  # an invalid NIK is reported on its own field


def survivor_contradictions(
    person: Person, link: CaseSurvivor, case: Case
) -> dict[str, list[ValidationError]]:
    """Age at the offence vs date of birth / estimated age and the case's offence date."""
    return contradictions.survivor_contradictions(
        birth_date=person.birth_date,
        nik_birth_date=None,
        estimated_age=person.estimated_age,
        age_recorded_on=person.age_recorded_on,
        age_at_offence=link.age_at_offence,
        offence_date=case.offence_date,
    )
