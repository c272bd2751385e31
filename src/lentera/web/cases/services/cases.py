"""Opening and editing a case; the case's search tags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import Membership, Organisation, User
from lentera.web.audit.services import save_created, save_edit
from lentera.web.cases import choices
from lentera.web.cases.fields import CASE_FIELDS
from lentera.web.cases.models import Case, CaseCounter, CaseTag
from lentera.web.cases.services.checks import other_specified, survivor_contradictions
from lentera.web.core.access import require_case_edit, require_case_role
from lentera.web.core.services import assign, check_version, clean, reserve_numbers
from lentera.web.core.validators import validate_not_future

__all__ = [
    "case_build",
    "case_checks",
    "case_open",
    "case_update",
    "refresh_case_indexes",
    "reserve_references",
]


def reserve_references(organisation: Organisation, year: int, n: int = 1) -> list[str]:
    """The next ``n`` case numbers of ``organisation`` for ``year`` (one counter update)."""
    numbers = reserve_numbers(CaseCounter, organisation, year, n)
    return [f"{organisation.code}-{year}-{number:05d}" for number in numbers]


def case_checks(case: Case) -> dict[str, Callable[[], object]]:
    """The case's field checks beyond the model's own (run by the service and the form)."""
    return {
        "intake_channel_other": lambda: other_specified(
            case.intake_channel_other, [case.intake_channel]
        ),
        "opened_on": lambda: validate_not_future(case.opened_on),
        "offence_date": lambda: validate_not_future(case.offence_date),
        "closed_on": lambda: validate_not_future(case.closed_on),
    }


def _owner_in_organisation(case: Case, organisation_id: int) -> None:
    if (
        case.owner.membership_or_none is None
        or case.owner.membership.organisation_id != organisation_id
    ):
        raise LenteraError(
            "invalid_owner", _("The case owner must belong to your organisation."), field="owner"
        )


def case_build(
    *, actor: User, membership: Membership, opened_on: dt.date | None = None, **fields: object
) -> Case:
    """A new case of the actor's organisation, validated but not saved and not yet numbered
    (``case_open`` and the bulk writer of :mod:`.bulk` share it)."""
    case = Case(
        organisation=membership.organisation,
        owner=actor,
        created_by=actor,
        opened_on=opened_on or timezone.localdate(),
    )
    assign(case, fields, CASE_FIELDS)
    _owner_in_organisation(case, membership.organisation_id)
    case.reference = "pending"
    # the organisation and the creator come from the actor's own membership: no query to
    # prove that they exist (nor the owner, unless the caller chose one)
    trusted = ["organisation", "created_by"] + ([] if "owner" in fields else ["owner"])
    clean(case, case_checks(case), exclude=["reference", *trusted])
    return case


@transaction.atomic
def case_open(*, actor: User, opened_on: dt.date | None = None, **fields: object) -> Case:
    """Open a case in the actor's organisation with the next case number."""
    membership = require_case_role(actor)
    case = case_build(actor=actor, membership=membership, opened_on=opened_on, **fields)
    case.reference = reserve_references(membership.organisation, case.opened_on.year)[0]
    return save_created(actor=actor, obj=case, detail={"fields": sorted(fields)})


@transaction.atomic
def case_update(*, actor: User, case: Case, version: int | None = None, **fields: object) -> Case:
    """Edit a case; refuses a stale edit."""
    require_case_edit(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_version(case, version, fields)
    changed = assign(case, fields, CASE_FIELDS)
    if "owner" in changed:
        _owner_in_organisation(case, case.organisation_id)
    if (
        case.status in {choices.CaseStatus.CLOSED, choices.CaseStatus.CLOSED_REFERRED}
        and case.closed_on is None
    ):
        case.closed_on = timezone.localdate()
        changed.append("closed_on")
    survivor_errors: dict[str, list[ValidationError]] = {}
    if "offence_date" in changed:
        for link in case.survivors.select_related("person"):
            for errs in survivor_contradictions(link.person, link, case).values():
                survivor_errors.setdefault("offence_date", []).extend(errs)
    clean(case, case_checks(case), contradictions=survivor_errors)
    save_edit(actor=actor, obj=case, changed=changed)
    return case


def case_tags(case: Case, provinces: Iterable[str], types: Iterable[str]) -> list[CaseTag]:
    """The filter tags of a case whose survivors come from ``provinces`` and suffered ``types``:
    one per province, one per type, and one per (province, type) pair."""
    provinces, types = sorted(set(provinces)), sorted(set(types))
    org, kind = case.organisation_id, CaseTag.Kind
    return (
        [CaseTag(case=case, organisation_id=org, kind=kind.PROVINCE, code=p) for p in provinces]
        + [CaseTag(case=case, organisation_id=org, kind=kind.EXPLOITATION, code=t) for t in types]
        + [
            CaseTag(
                case=case,
                organisation_id=org,
                kind=kind.PROVINCE_TYPE,
                code=CaseTag.pair_code(p, t),
            )
            for p in provinces
            for t in types
        ]
    )


def refresh_case_indexes(case: Case) -> None:
    """Recompute the case's search tags (origin provinces, exploitation types, their pairs)
    from its survivors (the case list filters through ``CaseTag``)."""
    types: set[str] = set()
    provinces: set[str] = set()
    for link in case.survivors.select_related("person"):
        types.update(link.exploitation_types or [])
        if link.person.origin_province_code:
            provinces.add(link.person.origin_province_code)
    CaseTag.objects.filter(case=case).delete()
    CaseTag.objects.bulk_create(case_tags(case, provinces, types))
