"""Writing many new cases at once (imports): the same checks, set-based writes.

:func:`cases_prepare` builds and validates every object of every draft in memory with the
``*_build`` functions the one-at-a-time services use (``case_build``, ``person_build``,
``link_build``, ``consent_build``, ``perpetrator_build``, ``event_build``, ``note_build``),
in the order those services run, so a refused draft fails on the same field with the same
message. It writes nothing, so an import runs it outside any transaction. :func:`cases_write`
then numbers the cases (one counter update per year) and inserts each kind of row with one
``bulk_create`` — cases, survivors, their blind indexes and name tokens, the survivors'
parts in the cases, the case tags, consents, perpetrators, journey steps and notes — and
one audit row per record, in the order the services would have written them, appended to
the chain under one lock of its head (:func:`lentera.web.audit.services.audit_log_many`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from lentera.errors import LenteraError
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import AuditEntry, audit_log_many
from lentera.web.cases.blind_index import name_token_hashes, nik_hash
from lentera.web.cases.models import (
    Case,
    CaseNote,
    CaseSurvivor,
    CaseTag,
    Consent,
    Perpetrator,
    Person,
    PersonNameToken,
    TraffickingEvent,
)
from lentera.web.cases.services.cases import case_build, case_tags, reserve_references
from lentera.web.cases.services.consents import (
    ConsentDraft,
    consent_audit_detail,
    consent_build,
    note_build,
)
from lentera.web.cases.services.events import event_build
from lentera.web.cases.services.perpetrators import perpetrator_build
from lentera.web.cases.services.persons import person_build
from lentera.web.cases.services.survivors import link_build
from lentera.web.core.access import require_case_edit, require_case_role

__all__ = [
    "CaseDraft",
    "PreparedCase",
    "Refusal",
    "SurvivorDraft",
    "cases_prepare",
    "cases_write",
]


@dataclass
class SurvivorDraft:
    """A new survivor of a case, and what comes with them (perpetrators, journey steps and
    notes are the case's; they are checked and audited after this survivor, as the services
    would be called)."""

    person_fields: dict[str, Any]
    link_fields: dict[str, Any] = field(default_factory=dict)
    consents: list[ConsentDraft] = field(default_factory=list)
    perpetrators: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class CaseDraft:
    """A new case: the case's fields (``opened_on`` among them) and its survivors."""

    fields: dict[str, Any]
    survivors: list[SurvivorDraft]


@dataclass(frozen=True)
class Refusal:
    """A draft the checks refused: the error, and which survivor (None: the case itself)."""

    error: LenteraError
    survivor: int | None


@dataclass
class _Survivor:
    draft: SurvivorDraft
    person: Person
    link: CaseSurvivor
    consents: list[Consent]
    perpetrators: list[Perpetrator]
    events: list[TraffickingEvent]
    notes: list[CaseNote]


@dataclass
class PreparedCase:
    """A draft built and validated, not yet written."""

    draft: CaseDraft
    case: Case
    survivors: list[_Survivor]


def _prepare_one(actor: User, membership: Any, draft: CaseDraft) -> PreparedCase:
    fields = dict(draft.fields)
    opened_on: dt.date | None = fields.pop("opened_on", None)
    try:
        case = case_build(actor=actor, membership=membership, opened_on=opened_on, **fields)
        require_case_edit(actor, case)
    except LenteraError as exc:
        raise _Refused(Refusal(exc, None)) from exc
    survivors = []
    for index, s in enumerate(draft.survivors):
        try:
            person = person_build(actor=actor, membership=membership, **s.person_fields)
            link = link_build(case=case, person=person, **s.link_fields)
            consents = [
                consent_build(actor=actor, person=person, case=case, draft=c) for c in s.consents
            ]
            perpetrators = [perpetrator_build(case=case, **p) for p in s.perpetrators]
            events = [event_build(case=case, **e) for e in s.events]
            notes = [note_build(actor=actor, case=case, body=body) for body in s.notes]
        except LenteraError as exc:
            raise _Refused(Refusal(exc, index)) from exc
        survivors.append(_Survivor(s, person, link, consents, perpetrators, events, notes))
    return PreparedCase(draft, case, survivors)


class _Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.error.message)
        self.refusal = refusal


def cases_prepare(
    *, actor: User, drafts: list[CaseDraft], stop_at_first: bool = False
) -> list[PreparedCase | Refusal]:
    """Build and check every draft in memory (no write); one result per draft, in order.

    With ``stop_at_first`` the drafts after the first refused one are left out.
    """
    membership = require_case_role(actor)
    results: list[PreparedCase | Refusal] = []
    for draft in drafts:
        try:
            results.append(_prepare_one(actor, membership, draft))
        except _Refused as refused:
            if refused.refusal.error.kind == "forbidden":
                raise refused.refusal.error from None
            results.append(refused.refusal)
            if stop_at_first:
                break
    return results


def _number(prepared: list[PreparedCase]) -> None:
    by_year: dict[int, list[Case]] = {}
    for p in prepared:
        by_year.setdefault(p.case.opened_on.year, []).append(p.case)
    for year, cases in sorted(by_year.items()):
        organisation = cases[0].organisation
        for case, reference in zip(
            cases, reserve_references(organisation, year, len(cases)), strict=True
        ):
            case.reference = reference


def _tags(p: PreparedCase) -> list[CaseTag]:
    """The case's search tags, as ``refresh_case_indexes`` computes them."""
    types: set[str] = set()
    provinces: set[str] = set()
    for s in p.survivors:
        types.update(s.link.exploitation_types or [])
        if s.person.origin_province_code:
            provinces.add(s.person.origin_province_code)
    return case_tags(p.case, provinces, types)


def _audit_entries(p: PreparedCase) -> list[AuditEntry]:
    """One row per record, with the detail and in the order of the one-at-a-time services."""
    create = AuditAction.CREATE
    case = p.case
    case_fields = sorted(k for k in p.draft.fields if k != "opened_on")
    entries = [AuditEntry(create, obj=case, detail={"fields": case_fields})]
    for s in p.survivors:
        entries.append(
            AuditEntry(create, obj=s.person, detail={"fields": sorted(s.draft.person_fields)})
        )
        entries.append(
            AuditEntry(
                create,
                obj=s.link,
                detail={
                    "case": case.pk,
                    "person": s.person.pk,
                    "fields": sorted(s.draft.link_fields),
                },
            )
        )
        entries += [AuditEntry(create, obj=c, detail=consent_audit_detail(c)) for c in s.consents]
        for rows, drafts in ((s.perpetrators, s.draft.perpetrators), (s.events, s.draft.events)):
            entries += [
                AuditEntry(create, obj=row, detail={"case": case.pk, "fields": sorted(d)})
                for row, d in zip(rows, drafts, strict=True)
            ]
        entries += [AuditEntry(create, obj=n, detail={"case": case.pk}) for n in s.notes]
    return entries


def _supersede_repeated_consents(survivors: list[_Survivor]) -> None:
    """A later answer for the same purpose supersedes an earlier one (as ``consent_record``)."""
    for s in survivors:
        latest: dict[str, Consent] = {}
        for consent in s.consents:
            if consent.purpose in latest:
                latest[consent.purpose].withdrawn_at = timezone.now()
            latest[consent.purpose] = consent


@transaction.atomic
def cases_write(*, actor: User, prepared: list[PreparedCase]) -> list[Case]:
    """Number and insert prepared cases with everything in them; one audit row per record."""
    if not prepared:
        return []
    require_case_role(actor)
    _number(prepared)
    Case.objects.bulk_create([p.case for p in prepared])
    survivors = [s for p in prepared for s in p.survivors]
    for s in survivors:
        s.person.nik_index = nik_hash(s.person.nik)
    Person.objects.bulk_create([s.person for s in survivors])
    PersonNameToken.objects.bulk_create(
        [
            PersonNameToken(person=s.person, organisation_id=s.person.organisation_id, token_hash=h)
            for s in survivors
            for h in sorted(name_token_hashes(s.person.full_name, s.person.other_names))
        ]
    )
    _supersede_repeated_consents(survivors)
    CaseSurvivor.objects.bulk_create([s.link for s in survivors])
    CaseTag.objects.bulk_create([t for p in prepared for t in _tags(p)])
    Consent.objects.bulk_create([c for s in survivors for c in s.consents])
    Perpetrator.objects.bulk_create([x for s in survivors for x in s.perpetrators])
    TraffickingEvent.objects.bulk_create([x for s in survivors for x in s.events])
    CaseNote.objects.bulk_create([x for s in survivors for x in s.notes])
    audit_log_many(actor=actor, entries=[e for p in prepared for e in _audit_entries(p)])
    return [p.case for p in prepared]
