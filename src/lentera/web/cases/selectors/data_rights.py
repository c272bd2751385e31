"""Reads for survivor data rights: the export of everything held on a person (audited), the
records that are one human (merges), and who is due for anonymisation under retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.web.accounts.models import Organisation, User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import rights_pdf
from lentera.web.cases.choices import CaseStatus
from lentera.web.cases.fields import LINK_FIELDS, PERSON_FIELDS
from lentera.web.cases.models import CaseSurvivor, Person
from lentera.web.core.access import require_own_organisation

__all__ = ["identity_group", "person_export_data", "person_export_pdf", "retention_candidates"]


def person_export_data(*, actor: User, person: Person) -> dict[str, Any]:
    """Everything Lentera holds on a person, as JSON-ready data (an audited export)."""
    require_own_organisation(actor, person.organisation_id, message=_("Survivor not found."))
    data: dict[str, Any] = {
        "schema": "lentera.person-export/1",
        "exported_at": timezone.now().isoformat(),
        "organisation": person.organisation.name,
        "person": {
            f: (v.isoformat() if isinstance(v, dt.date) else v)
            for f in PERSON_FIELDS
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
    """Referrals (with what was passed on), support plan and legal steps of one survivor-in-case.

    Read through the reverse relations, so the case store does not import the referrals app.
    """
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
    """A readable PDF of :func:`person_export_data` output (see :mod:`..rights_pdf`)."""
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


def retention_candidates(*, today: dt.date | None = None) -> list[Person]:
    """Persons of organisations with a retention period whose cases are all closed for longer."""
    today = today or timezone.localdate()
    closed = {CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED}
    out: list[Person] = []
    for org in Organisation.objects.filter(retention_months__isnull=False):
        cutoff = today - dt.timedelta(days=int(org.retention_months * 30.44))
        # a merged record has no case links of its own: it is anonymised with its target
        for person in Person.objects.filter(
            organisation=org, anonymised_at__isnull=True, merged_into__isnull=True
        ).prefetch_related("case_links__case"):
            cases = [link.case for link in person.case_links.all()]
            if cases and all(
                c.status in closed and c.closed_on and c.closed_on <= cutoff for c in cases
            ):
                out.append(person)
    return out
