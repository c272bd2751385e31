"""Writing the checked cases of an import into the case store, in short transactions.

Each batch of about :data:`BATCH_ROWS` rows is built and checked in memory by the case
store (:func:`lentera.web.cases.services.cases_prepare`, the checks of its services), then
written in one short transaction of set-based inserts
(:func:`lentera.web.cases.services.cases_write`, one audit row per record). A batch the
database refuses as a whole is written again one case per savepoint through the
one-at-a-time services (:func:`_write_slow`). ADR 0017: no import holds the write lock long;
the batch sizes and the pause between transactions are :mod:`lentera.web.core.batching`'s.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import get_language

from lentera import intake
from lentera.errors import LenteraError
from lentera.intake import IntakeRecord, Problem, ValidationReport
from lentera.web.accounts.models import User
from lentera.web.cases import services as case_services
from lentera.web.cases.models import Case
from lentera.web.core.batching import BATCH_ROWS, in_short_transactions, yield_to_other_writers
from lentera.web.imports.models import ImportedSubmission, ImportRun

__all__ = [
    "CONSENT_FORM_VERSION",
    "ImportOutcome",
    "Progress",
    "group_by_case",
    "write_groups",
]

CONSENT_FORM_VERSION = "lentera-import/1"
Progress = Callable[[int, int], None]


@dataclass
class ImportOutcome:
    """A checked (and perhaps written) import: the engine's report plus what was written."""

    report: ValidationReport
    mode: str
    written: bool = False
    cases_created: int = 0
    survivors_created: int = 0
    skipped_existing: int = 0
    case_references: list[str] = field(default_factory=list)
    run: ImportRun | None = None

    @property
    def ok(self) -> bool:
        return self.report.ok

    def problems(self, lang: str | None = None) -> list[dict[str, Any]]:
        """Problems sorted by row, each with its message in ``lang`` (the active language)."""
        lang = (lang or get_language() or "id")[:2]
        return [
            {
                "row": p.row,
                "column": p.column,
                "value": p.value,
                "severity": p.severity,
                "code": p.code,
                "message": p.message(lang),
            }
            for p in self.report.sorted_problems()
        ]


def group_by_case(records: Iterable[IntakeRecord]) -> list[list[IntakeRecord]]:
    groups: dict[str, list[IntakeRecord]] = {}
    for r in records:
        groups.setdefault(r.case_key, []).append(r)
    return list(groups.values())


def _write_group(actor: User, group: list[IntakeRecord], run: ImportRun | None) -> Case:
    lead = group[0]
    case_fields = lead.case.model_dump(exclude_none=True)
    opened_on = case_fields.pop("opened_on", None)
    case = case_services.case_open(actor=actor, opened_on=opened_on, **case_fields)
    seen_perpetrators: list[dict[str, Any]] = []
    seen_events: list[dict[str, Any]] = []
    for record in group:
        try:
            _write_record(actor, case, record, run, seen_perpetrators, seen_events)
        except LenteraError as exc:
            exc.record = record  # type: ignore[attr-defined]
            raise
    return case


def _write_record(
    actor: User,
    case: Case,
    record: IntakeRecord,
    run: ImportRun | None,
    seen_perpetrators: list[dict[str, Any]],
    seen_events: list[dict[str, Any]],
) -> None:
    """Write one survivor with their consents, perpetrator, events and note into ``case``."""
    link = case_services.case_survivor_create(
        actor=actor,
        case=case,
        person_fields=record.person.model_dump(exclude_none=True),
        link_fields=record.survivor.model_dump(exclude_none=True),
    )
    for consent in record.consents:
        case_services.consent_record(
            actor=actor,
            person=link.person,
            case=case,
            purpose=consent.purpose,
            granted=consent.granted,
            form_version=CONSENT_FORM_VERSION,
        )
    if record.perpetrator is not None:
        data = record.perpetrator.model_dump(exclude_none=True)
        if data not in seen_perpetrators:
            seen_perpetrators.append(data)
            case_services.perpetrator_add(actor=actor, case=case, **data)
    for event in record.events:
        data = event.model_dump(exclude_none=True)
        if data not in seen_events:
            seen_events.append(data)
            case_services.event_add(actor=actor, case=case, **data)
    if record.note:
        case_services.note_add(actor=actor, case=case, body=record.note)
    if record.source_uuid:
        ImportedSubmission.objects.create(
            organisation_id=case.organisation_id,
            source="kobo",
            uuid=record.source_uuid,
            case=case,
            run=run,
        )


def _column_of(exc: LenteraError, record: IntakeRecord) -> str:
    """The file's column for a field the case services refused."""
    if not exc.field:
        return ""
    for f in intake.fields():
        if f.attribute == exc.field and f.entity in {"person", "survivor", "case"}:
            return record.columns.get(f.name, f.name)
    return exc.field


def _draft(group: list[IntakeRecord]) -> case_services.CaseDraft:
    """A case of the file as the case store's bulk writer takes it; a perpetrator or journey
    step repeated on several rows of the case is recorded once (with the first of them)."""
    seen_perpetrators: list[dict[str, Any]] = []
    seen_events: list[dict[str, Any]] = []
    survivors = []
    for record in group:
        perpetrators = []
        if record.perpetrator is not None:
            data = record.perpetrator.model_dump(exclude_none=True)
            if data not in seen_perpetrators:
                seen_perpetrators.append(data)
                perpetrators.append(data)
        events = []
        for event in record.events:
            data = event.model_dump(exclude_none=True)
            if data not in seen_events:
                seen_events.append(data)
                events.append(data)
        survivors.append(
            case_services.SurvivorDraft(
                person_fields=record.person.model_dump(exclude_none=True),
                link_fields=record.survivor.model_dump(exclude_none=True),
                consents=[
                    case_services.ConsentDraft(c.purpose, c.granted, CONSENT_FORM_VERSION)
                    for c in record.consents
                ],
                perpetrators=perpetrators,
                events=events,
                notes=[record.note] if record.note else [],
            )
        )
    return case_services.CaseDraft(
        fields=group[0].case.model_dump(exclude_none=True), survivors=survivors
    )


def _refused(outcome: ImportOutcome, exc: LenteraError, record: IntakeRecord) -> None:
    outcome.report.problems.append(
        Problem(
            row=record.row,
            column=_column_of(exc, record),
            code="write_failed",
            params={"detail": exc.message[:300]},
        )
    )


def _written(outcome: ImportOutcome, case: Case, group: list[IntakeRecord]) -> None:
    outcome.cases_created += 1
    outcome.survivors_created += len(group)
    outcome.case_references.append(case.reference)


def _write_bulk(
    actor: User, batch: list[list[IntakeRecord]], prepared: list[Any], run: ImportRun | None
) -> list[Case]:
    """One batch's set-based write, and the submissions it imported."""
    cases = case_services.cases_write(actor=actor, prepared=prepared)
    groups = [group for group, _p in zip(batch, prepared, strict=True)]
    ImportedSubmission.objects.bulk_create(
        [
            ImportedSubmission(
                organisation_id=case.organisation_id,
                source="kobo",
                uuid=record.source_uuid,
                case=case,
                run=run,
            )
            for case, group in zip(cases, groups, strict=True)
            for record in group
            if record.source_uuid
        ]
    )
    return cases


def write_groups(
    actor: User,
    groups: list[list[IntakeRecord]],
    outcome: ImportOutcome,
    *,
    stop_at_first: bool,
    dry_run: bool,
    progress: Progress | None,
    checked: dict[int, Any] | None = None,
) -> bool:
    """Write (or, with ``dry_run``, only check) the groups in short transactions.

    Each batch of about :data:`BATCH_ROWS` rows is built and checked in memory by the case
    store (:func:`lentera.web.cases.services.cases_prepare`: the checks of its services, a
    refused row costs only its own case), then written in one transaction of set-based
    inserts. Should the database refuse the batch (a unique submission imported meanwhile
    by someone else), the batch is written again one case per savepoint
    (:func:`_write_slow`), so exactly the cases at fault fail. With ``dry_run`` nothing is
    written: the case store's checks run in memory and, given ``checked``, the cases they
    built are kept there (by ``id`` of the group) for the write that follows. Returns False
    (after recording the problem) if a group failed.
    """
    ok = True
    total = sum(len(g) for g in groups)
    done = 0
    committed = 0.0
    pending = list(groups)
    while pending:
        batch, rows = [], 0
        while pending and rows < BATCH_ROWS:
            batch.append(pending.pop(0))
            rows += len(batch[-1])
        if checked and not dry_run:
            results = [checked.pop(id(g)) for g in batch]
        else:
            results = case_services.cases_prepare(
                actor=actor, drafts=[_draft(g) for g in batch], stop_at_first=stop_at_first
            )
        good: list[list[IntakeRecord]] = []
        prepared = []
        for group, result in zip(batch, results, strict=False):
            if isinstance(result, case_services.Refusal):
                ok = False
                record = group[result.survivor or 0]
                _refused(outcome, result.error, record)
            else:
                good.append(group)
                prepared.append(result)
                if dry_run:
                    outcome.cases_created += 1
                    outcome.survivors_created += len(group)
                    if checked is not None:
                        checked[id(group)] = result
        if not dry_run:
            yield_to_other_writers(committed)
            try:
                with transaction.atomic():
                    cases = _write_bulk(actor, good, prepared, outcome.run)
            except IntegrityError:
                ok = _write_slow(actor, good, outcome, stop_at_first=stop_at_first) and ok
            else:
                for case, group in zip(cases, good, strict=True):
                    _written(outcome, case, group)
            committed = time.monotonic()
        done += sum(len(g) for g in good)
        if progress is not None:
            progress(done, total)
        if not ok and stop_at_first:
            return False
    return ok


def _write_slow(
    actor: User,
    groups: list[list[IntakeRecord]],
    outcome: ImportOutcome,
    *,
    stop_at_first: bool,
) -> bool:
    """The groups one case per savepoint through the one-at-a-time services, in short
    transactions (:func:`lentera.web.core.batching.in_short_transactions`)."""
    ok = True

    def write(group: list[IntakeRecord]) -> bool:
        nonlocal ok
        try:
            with transaction.atomic():
                case = _write_group(actor, group, outcome.run)
        except LenteraError as exc:
            if exc.kind == "forbidden":
                raise
            ok = False
            _refused(outcome, exc, getattr(exc, "record", group[0]))
            return not stop_at_first
        _written(outcome, case, group)
        return True

    in_short_transactions(groups, write, rows_of=len)
    return ok
