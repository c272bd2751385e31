"""Survivor data rights (UU 27/2022 on personal data protection): consent withdrawal,
export of everything held on a person, anonymisation on request or at the end of
the retention period. All audited; anonymisation keeps the statistics intact."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.facts import _age_at_offence
from lentera.web.cases.models import Case, CaseSurvivor, Consent, Person
from lentera.web.cases.services import LINK_FIELDS, PERSON_FIELDS, refresh_case_indexes
from lentera.web.core.access import require_case_role
from lentera.web.core.identity import REDACTED  # noqa: F401  (re-exported)

#: sent inside the anonymisation transaction (kwargs: person) so other apps erase their copies
person_anonymised = Signal()
#: sent inside the withdrawal transaction (kwargs: consent, actor)
consent_withdrawn = Signal()


def _own_person(actor: Any, person: Person) -> None:
    membership = require_case_role(actor)
    if person.organisation_id != membership.organisation_id:
        raise LenteraError("not_found", _("Survivor not found."), kind="not_found")


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, note: str = "") -> Consent:
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
    consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
    return withdrawal


def person_export_data(*, actor: Any, person: Person) -> dict[str, Any]:
    """Everything Lentera holds on a person, as JSON-ready data (an audited export)."""
    _own_person(actor, person)
    fields = PERSON_FIELDS
    data: dict[str, Any] = {
        "schema": "lentera.person-export/1",
        "exported_at": timezone.now().isoformat(),
        "organisation": person.organisation.name,
        "person": {
            f: (v.isoformat() if isinstance(v, dt.date) else v)
            for f in fields
            for v in [getattr(person, f)]
        },
        "cases": [],
        "consents": [
            {
                "purpose": c.purpose,
                "granted": c.granted,
                "form_version": c.form_version,
                "recorded_at": c.recorded_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
                "note": c.note,
            }
            for c in person.consents.order_by("recorded_at")
        ],
    }
    for link in person.case_links.select_related("case").order_by("case__opened_on"):
        case = link.case
        data["cases"].append(
            {
                "reference": case.reference,
                "status": case.status,
                "opened_on": case.opened_on.isoformat(),
                "offence_date": case.offence_date.isoformat() if case.offence_date else None,
                "summary": case.summary,
                "in_case": {k: getattr(link, k) for k in LINK_FIELDS},
                "events": [
                    {
                        "stage": e.stage,
                        "date": e.date.isoformat() if e.date else None,
                        "country": e.country,
                        "region_code": e.region_code,
                        "place": e.place,
                        "description": e.description,
                    }
                    for e in case.events.all()
                ],
                "notes": [
                    {"at": n.created_at.isoformat(), "body": n.body} for n in case.notes.all()
                ],
                **_referral_export(link),
            }
        )
    audit_log(
        actor=actor, action=AuditAction.EXPORT, obj=person, detail={"kind": "data_subject_export"}
    )
    return data


def _referral_export(link: CaseSurvivor) -> dict[str, Any]:
    """Referrals (with what was passed on), support plan and legal steps of one survivor-in-case."""
    return {
        "referrals": [
            {
                "number": r.number,
                "provider": r.provider.name,
                "status": r.status,
                "sent_at": r.sent_at.isoformat(),
                "shared_fields": r.shared_fields,
                "data_passed_on": r.payload_data,
                "consent_override": r.consent_id is None,
            }
            for r in link.referrals.select_related("provider").order_by("sent_at")
        ],
        "support_plan": [
            {
                "type": a.service_type,
                "objective": a.objective,
                "action": a.action,
                "planned_end": a.planned_end.isoformat(),
                "status": a.status,
            }
            for a in link.support_actions.all()
        ],
        "legal_steps": [
            {"step": s.step, "date": s.date.isoformat(), "amount": s.amount}
            for s in link.legal_steps.all()
        ],
    }


def person_export_pdf(data: dict[str, Any]) -> bytes:
    """A readable PDF of :func:`person_export_data` output (see :mod:`.rights_pdf`)."""
    from lentera.web.cases import rights_pdf

    return rights_pdf.render(data)


def identity_group(person: Person) -> list[Person]:
    """The person and every record merged into it, directly or through other merges (one human)."""
    group = [person]
    frontier = [person.pk]
    seen = {person.pk}
    while frontier:
        found = [p for p in Person.objects.filter(merged_into_id__in=frontier) if p.pk not in seen]
        seen.update(p.pk for p in found)
        group.extend(found)
        frontier = [p.pk for p in found]
    return group


@transaction.atomic
def person_anonymise(*, actor: Any | None, person: Person, reason: str) -> Person:
    """Erase a person's identity everywhere it is held, keep what statistics need.

    Kept: sex, citizenship, origin province/regency, education, the survivor's
    part in each case (exploitation, means of control…) and their age at the
    offence (computed now, before the date of birth is erased). Erased: every place
    declared in :mod:`lentera.web.core.identity` — for the person and every record
    merged into it — including the free-text narratives of every case the person is
    in (since narratives name people), attachments, referral payloads and
    notifications, and derived copies such as the analytics warehouse.
    """
    from lentera.web.core import identity

    if actor is not None:
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
            age = _age_at_offence(link.case, link)
            if age is not None:
                CaseSurvivor.objects.filter(pk=link.pk).update(age_at_offence=age)
    case_ids = sorted({link.case_id for link in links})
    touched = identity.erase(
        organisation_id=person.organisation_id, person_ids=person_ids, case_ids=case_ids
    )
    for case in Case.objects.filter(pk__in=case_ids):
        refresh_case_indexes(case)
    now = timezone.now()
    for member in group:
        Person.objects.filter(pk=member.pk).update(anonymised_at=now, version=member.version + 1)
    person.refresh_from_db()
    person_anonymised.send(sender=Person, person=person)
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


def retention_candidates(*, today: dt.date | None = None) -> list[Person]:
    """Persons of organisations with a retention period whose cases are all closed for longer."""
    from lentera.web.accounts.models import Organisation

    today = today or timezone.localdate()
    out: list[Person] = []
    for org in Organisation.objects.filter(retention_months__isnull=False):
        cutoff = today - dt.timedelta(days=int(org.retention_months * 30.44))
        # a merged record has no case links of its own: it is anonymised with its target
        for person in Person.objects.filter(
            organisation=org, anonymised_at__isnull=True, merged_into__isnull=True
        ).prefetch_related("case_links__case"):
            cases = [link.case for link in person.case_links.all()]
            if cases and all(
                c.status in {"closed", "closed_referred"} and c.closed_on and c.closed_on <= cutoff
                for c in cases
            ):
                out.append(person)
    return out
