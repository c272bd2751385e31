"""Every write of the contact log: keyword-only, ``actor`` first, atomic, audited.

Contacts hold personal data (a caller's words, sometimes a name and number), so only the
case roles (:func:`lentera.web.core.access.require_case_role`) may record or read them;
an analyst sees them only as counts in the warehouse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera import reference
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import Versioned, audit_log, save_created
from lentera.web.cases import services as case_services
from lentera.web.cases.choices import EventStage
from lentera.web.cases.models import Case
from lentera.web.contacts import choices
from lentera.web.contacts.models import Contact, ContactCounter
from lentera.web.core.access import require_case_role, require_own_organisation
from lentera.web.core.services import (
    assign,
    check_version,
    clean,
    invalid,
    next_number,
    text,
)
from lentera.web.core.validators import validate_country_code, validate_not_future

__all__ = [
    "CONTACT_FIELDS",
    "contact_close",
    "contact_convert",
    "contact_create",
    "contact_reopen",
    "contact_update",
]

#: the fields a caller may set on create and edit
CONTACT_FIELDS = (
    "received_on",
    "channel",
    "reporter",
    "province",
    "regency",
    "concern",
    "concern_category",
    "risk",
    "urgency",
    "follow_up_due",
    "caller_name",
    "caller_phone",
    "notes",
    "missing_person",
    "destination_country",
    "employer_agency",
    "last_heard_on",
    "reminder_days",
)
TEXT_FIELDS = ("concern", "caller_name", "caller_phone", "notes", "employer_agency")


def _own(actor: User, contact: Contact) -> None:
    require_own_organisation(actor, contact.organisation_id, message=_("Contact not found."))


def _next_number(organisation: Any, year: int) -> str:
    last = next_number(ContactCounter, organisation, year)
    return f"K-{organisation.code}-{year}-{last:04d}"


def _region_check(contact: Contact) -> None:
    if contact.province and contact.province not in reference.provinces():
        raise ValidationError(_("Unknown province."), code="province_unknown")


def _regency_check(contact: Contact) -> None:
    if not contact.regency:
        return
    if (
        reference.province_of(contact.regency) is None
        or contact.regency not in reference.regencies()
    ):
        raise ValidationError(_("Unknown regency/city."), code="regency_unknown")
    if contact.province and reference.province_of(contact.regency) != contact.province:
        raise ValidationError(
            _("This regency/city is not in the chosen province."), code="regency_province"
        )


def _checks(contact: Contact) -> dict[str, Any]:
    return {
        "received_on": lambda: validate_not_future(contact.received_on),
        "last_heard_on": lambda: validate_not_future(contact.last_heard_on),
        "destination_country": lambda: validate_country_code(contact.destination_country),
        "province": lambda: _region_check(contact),
        "regency": lambda: _regency_check(contact),
    }


def _prepare(data: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for name in TEXT_FIELDS:
        if name in out:
            out[name] = text(out[name], name, required=name == "concern")
    for name, empty in (
        ("reminder_days", None),
        ("concern_category", ""),
        ("risk", ""),
        ("urgency", ""),
    ):
        if name in out and out[name] == empty:
            out.pop(name)  # not given: the model's default stays
    if out.get("regency") and not out.get("province"):
        out["province"] = reference.province_of(out["regency"]) or ""
    return out


def _finish(contact: Contact) -> None:
    if contact.missing_person and contact.concern_category == choices.Concern.OTHER:
        contact.concern_category = choices.Concern.MISSING
    clean(contact, _checks(contact), exclude=["number", "organisation"])


_EDIT = Versioned(CONTACT_FIELDS, _finish)


@transaction.atomic
def contact_create(*, actor: User, **fields: Any) -> Contact:
    """Record a contact in the actor's organisation with the next contact number."""
    membership = require_case_role(actor)
    data = _prepare(fields)
    contact = Contact(
        organisation=membership.organisation,
        handled_by=actor,
        created_by=actor,
        received_on=timezone.localdate(),
    )
    if data.get("received_on") is None:
        data.pop("received_on", None)
    assign(contact, data, CONTACT_FIELDS)
    _finish(contact)
    contact.number = _next_number(membership.organisation, contact.received_on.year)
    return save_created(actor=actor, obj=contact, detail={"fields": sorted(fields)})


@transaction.atomic
def contact_update(
    *, actor: User, contact: Contact, version: int | str | None = None, **fields: Any
) -> Contact:
    """Edit a contact; refuses a stale edit (``stale_version``)."""
    _own(actor, contact)
    contact, _changed = _EDIT.edit(actor, contact, version, _prepare(fields))
    return contact


@transaction.atomic
def contact_close(
    *,
    actor: User,
    contact: Contact,
    outcome: str,
    closed_on: dt.date | None = None,
    version: int | str | None = None,
) -> Contact:
    """Close a contact with its outcome (information given, referred, case opened, nothing more)."""
    _own(actor, contact)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    check_version(contact, version)
    if outcome not in choices.Outcome.values:
        raise invalid("code_unknown", _("Choose an outcome."), "outcome")
    if outcome == choices.Outcome.CASE_OPENED and contact.case_id is None:
        raise invalid(
            "no_case",
            _("No case was opened from this contact: use “Open a case” instead."),
            "outcome",
        )
    contact.status = choices.Status.CLOSED
    contact.outcome = outcome
    contact.closed_on = closed_on or timezone.localdate()
    if contact.closed_on < contact.received_on:
        raise invalid("closed_before", _("A contact cannot close before it came in."), "closed_on")
    contact.version += 1
    contact.save()
    audit_log(actor=actor, action=AuditAction.UPDATE, obj=contact, detail={"closed": outcome})
    return contact


@transaction.atomic
def contact_reopen(*, actor: User, contact: Contact) -> Contact:
    """Open a closed contact again (its outcome is kept until it is closed again)."""
    _own(actor, contact)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status == choices.Status.OPEN:
        return contact
    contact.status = choices.Status.OPEN
    contact.closed_on = None
    contact.version += 1
    contact.save()
    audit_log(actor=actor, action=AuditAction.UPDATE, obj=contact, detail={"reopened": True})
    return contact


def _intake(contact: Contact) -> str:
    if (
        contact.reporter in choices.REPORTER_INTAKE
        and contact.channel != choices.Channel.REFERRAL_IN
    ):
        return choices.REPORTER_INTAKE[contact.reporter]
    return choices.CASE_INTAKE.get(contact.channel, "other")


@transaction.atomic
def contact_convert(*, actor: User, contact: Contact) -> Case:
    """Open a case from a contact in one step, carry its facts over and link the two.

    The case gets the contact's date, its concern as summary and the matching intake channel;
    the region becomes a recruitment event (in Indonesia), a destination country an
    exploitation event, and a note says which contact the case came from. The contact is
    closed with the outcome "case opened". Converting again returns the same case.
    """
    _own(actor, contact)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.case_id is not None:
        return contact.case
    intake = _intake(contact)
    case = case_services.case_open(
        actor=actor,
        opened_on=contact.received_on,
        summary=contact.concern,
        intake_channel=intake,
        intake_channel_other=_("contact log") if intake == "other" else "",
    )
    region = contact.regency or contact.province
    if region:
        case_services.event_add(
            actor=actor, case=case, stage=EventStage.RECRUITMENT, country="ID", region_code=region
        )
    if contact.destination_country and contact.destination_country != "ID":
        case_services.event_add(
            actor=actor,
            case=case,
            stage=EventStage.EXPLOITATION,
            country=contact.destination_country,
        )
    lines = [_("Case opened from contact %(number)s.") % {"number": contact.number}]
    if contact.missing_person:
        lines.append(_("The family could not reach the person (missing-person flag)."))
    if contact.employer_agency:
        lines.append(_("Employer or agency, as given: %(who)s") % {"who": contact.employer_agency})
    if contact.notes:
        lines.append(contact.notes)
    case_services.note_add(actor=actor, case=case, body="\n".join(lines))
    contact.case = case
    contact.status = choices.Status.CLOSED
    contact.outcome = choices.Outcome.CASE_OPENED
    contact.closed_on = max(timezone.localdate(), contact.received_on)
    contact.version += 1
    contact.save()
    audit_log(
        actor=actor, action=AuditAction.UPDATE, obj=contact, detail={"converted_to_case": case.pk}
    )
    return case
