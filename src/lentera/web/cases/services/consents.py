"""What the survivor agreed to (consent records) and the case's notes."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.services import save_created
from lentera.web.cases import choices
from lentera.web.cases.models import Case, CaseNote, Consent, Person
from lentera.web.core.access import require_case_edit, require_case_role
from lentera.web.core.services import clean, not_found
from lentera.web.core.validators import validate_codes

__all__ = [
    "ConsentDraft",
    "consent_audit_detail",
    "consent_build",
    "consent_record",
    "consents_record",
    "note_add",
    "note_build",
]


@dataclass(frozen=True)
class ConsentDraft:
    """What a survivor answered for one purpose: a consent record before it is built (its
    fields are the record's own)."""

    purpose: str
    granted: bool
    form_version: str = "lentera-consent/1"
    note: str = ""
    shared_fields: tuple[str, ...] = ()
    signed_by: str = ""
    signer_name: str = ""


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    purpose: str,
    granted: bool,
    case: Case | None = None,
    note: str = "",
    form_version: str = "lentera-consent/1",
    shared_fields: list[str] | None = None,
    signed_by: str = "",
    signer_name: str = "",
) -> Consent:
    """Record what the survivor agreed to; a new record supersedes older ones for the purpose."""
    membership = require_case_role(actor)
    if person.organisation_id != membership.organisation_id or (
        case is not None and case.organisation_id != membership.organisation_id
    ):
        raise not_found(_("Survivor not found."))
    draft = ConsentDraft(
        purpose, granted, form_version, note, tuple(shared_fields or ()), signed_by, signer_name
    )
    consent = consent_build(actor=actor, person=person, case=case, draft=draft)
    Consent.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    return save_created(actor=actor, obj=consent, detail=consent_audit_detail(consent))


def consent_audit_detail(consent: Consent) -> dict[str, object]:
    """What the audit row of a new consent records (codes, no personal data)."""
    return {
        "person": consent.person.pk,
        "purpose": consent.purpose,
        "granted": consent.granted,
        "shared_fields": consent.shared_fields,
    }


def consent_build(
    *, actor: User, person: Person, case: Case | None, draft: ConsentDraft
) -> Consent:
    """A consent record, validated but not saved (nothing superseded yet)."""
    values = asdict(draft)  # the draft's fields are the record's
    values["shared_fields"] = sorted(set(draft.shared_fields)) if draft.granted else []
    consent = Consent(person=person, case=case, recorded_by=actor, **values)

    def signer_named() -> None:
        if (
            draft.signed_by
            and draft.signed_by != choices.ConsentSigner.SURVIVOR
            and not draft.signer_name.strip()
        ):
            raise ValidationError(
                _("Name the parent, guardian or other person who gave the consent."),
                code="signer_unnamed",
            )

    clean(
        consent,
        extra={
            "shared_fields": lambda: validate_codes(
                consent.shared_fields, choices.SHARED_FIELD_CODES
            ),
            "signer_name": signer_named,
        },
        exclude=["person", "case", "recorded_by"],
    )
    return consent


def note_build(*, actor: User, case: Case, body: str) -> CaseNote:
    """A note of the case, checked but not saved."""
    if not (body or "").strip():
        raise LenteraError("empty_note", _("The note is empty."), field="body")
    return CaseNote(case=case, author=actor, body=body.strip())


@transaction.atomic
def note_add(*, actor: User, case: Case, body: str) -> CaseNote:
    """Add a note to the case."""
    require_case_edit(actor, case)
    note = note_build(actor=actor, case=case, body=body)
    return save_created(actor=actor, obj=note, detail={"case": case.pk})


@transaction.atomic
def consents_record(
    *,
    actor: User,
    person: Person,
    case: Case,
    agreed: list[str],
    refused: list[str],
    note: str = "",
    shared_fields: list[str] | None = None,
    signed_by: str = "",
    signer_name: str = "",
) -> list[Consent]:
    """Record the survivor's answer for every purpose they were asked about, all or nothing
    (the consent form); the fields to share apply to the referral consent only."""
    answers = [(p, True) for p in agreed] + [(p, False) for p in refused]
    return [
        consent_record(
            actor=actor,
            person=person,
            case=case,
            purpose=purpose,
            granted=granted,
            note=note,
            shared_fields=(shared_fields or [])
            if purpose == choices.ConsentPurpose.REFERRAL
            else [],
            signed_by=signed_by,
            signer_name=signer_name,
        )
        for purpose, granted in answers
    ]
