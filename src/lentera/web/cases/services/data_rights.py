"""Survivor data rights (UU 27/2022 on personal data protection): consent withdrawal and
anonymisation on request or at the end of the retention period. All audited; anonymisation
keeps the statistics intact. The export of everything held on a person is a read
(:func:`lentera.web.cases.selectors.person_export_data`).

Both reach the copies other apps hold through the declared registry of
:mod:`lentera.web.core.identity` (identity holders for anonymisation, consent hooks for a
withdrawal), never through signals: the calls are visible here (ADR 0022)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.facts import age_at_offence
from lentera.web.cases.models import Case, CaseSurvivor, Consent, Person
from lentera.web.cases.selectors.data_rights import identity_group
from lentera.web.cases.services.cases import refresh_case_indexes
from lentera.web.core import identity
from lentera.web.core.access import require_own_organisation, require_supervisor

__all__ = ["consent_withdraw", "person_anonymise"]


def _own_person(actor: User, person: Person) -> None:
    require_own_organisation(actor, person.organisation_id, message=_("Survivor not found."))


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, note: str = "") -> Consent:
    """Withdraw a consent: it stops future sharing and referrals that depend on it."""
    _own_person(actor, consent.person)
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise LenteraError(
            "already_withdrawn", _("This consent was already withdrawn."), kind="conflict"
        )
    now = timezone.now()
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=now)
    withdrawal = Consent.objects.create(
        person=consent.person,
        case=consent.case,
        purpose=consent.purpose,
        granted=False,
        note=note,
        form_version=consent.form_version,
        recorded_by=actor,
    )
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=consent,
        detail={"withdrawn": True, "purpose": consent.purpose},
    )
    # What other apps hold under this consent stops now (a referral's shared payload): each
    # app declares it as CONSENT_HOOKS in its identity.py (lentera.web.core.identity, ADR 0022).
    for hook in identity.consent_hooks(purpose=consent.purpose):
        hook.withdraw(consent=consent, actor=actor)
    return withdrawal


@transaction.atomic
def person_anonymise(*, actor: User | None, person: Person, reason: str) -> Person:
    """Erase a person's identity everywhere it is held, keep what statistics need.

    Kept: sex, citizenship, origin province/regency, education, the survivor's
    part in each case (exploitation, means of control…) and their age at the
    offence (computed now, before the date of birth is erased). Erased: every place
    declared in :mod:`lentera.web.core.identity` — for the person and every record
    merged into it — including the free-text narratives of every case the person is
    in (since narratives name people), attachments, referral payloads and
    notifications, and derived copies such as the analytics warehouse.

    Only a supervisor or an organisation admin may anonymise (``require_supervisor``);
    ``actor=None`` is the retention job (``lentera retention``), acting for the organisation.
    """
    if actor is not None:
        require_supervisor(actor)
        _own_person(actor, person)
    if person.anonymised_at is not None:
        raise LenteraError(
            "already_anonymised", _("This survivor was already anonymised."), kind="conflict"
        )
    group = identity_group(person)
    person_ids = [p.pk for p in group]
    links = list(
        CaseSurvivor.objects.filter(person_id__in=person_ids).select_related("case", "person")
    )
    for link in links:
        if link.age_at_offence is None:
            age = age_at_offence(link.case, link)
            if age is not None:
                CaseSurvivor.objects.filter(pk=link.pk).update(
                    age_at_offence=age, updated_at=timezone.now()
                )
    case_ids = sorted({link.case_id for link in links})
    touched = identity.erase(
        organisation_id=person.organisation_id, person_ids=person_ids, case_ids=case_ids
    )
    for case in Case.objects.filter(pk__in=case_ids):
        refresh_case_indexes(case)
    now = timezone.now()
    for member in group:
        Person.objects.filter(pk=member.pk).update(
            anonymised_at=now, version=member.version + 1, updated_at=now
        )
    person.refresh_from_db()
    audit_log(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=person,
        organisation=person.organisation,
        detail={
            "anonymised": True,
            "reason_code": reason[:40],
            "merged_records": [p.pk for p in group[1:]],
            "rows": {k: v for k, v in touched.items() if v},
        },
    )
    return person
