"""Checking and importing intake files into the case store.

The intake engine (:mod:`lentera.intake`) reads and checks the file; this
module adds what needs the database (submissions already imported, possible
duplicates of existing survivors by NIK blind index) and hands the cases to the
case store's bulk writer (:mod:`lentera.web.imports.writing`, which calls
``cases_prepare``/``cases_write`` of :mod:`lentera.web.cases.services`: they encrypt,
validate, index and audit like the one-at-a-time services). Modes: ``check`` (every
case built and checked in memory by the case store, so even its own checks are
reported; nothing written), ``all`` (the check first; only if every row passes, the
write of what the check built) and ``valid_only`` (a refused case costs only itself).
Writes go in short batches, one transaction each: no import holds the database's write
lock for long, so other organisations' logins and edits never wait on it.
Every run is recorded in :class:`ImportRun` and audited without personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera import intake
from lentera.errors import LenteraError
from lentera.intake import IntakeRecord, Problem, ValidationReport
from lentera.intake.kobo import Fetch
from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases import selectors as case_selectors
from lentera.web.cases.blind_index import nik_hash
from lentera.web.cases.models import CaseSurvivor, Person
from lentera.web.core.access import require_case_role
from lentera.web.core.kobo import check_kobo_server
from lentera.web.imports.models import ImportedSubmission, ImportMode, ImportRun
from lentera.web.imports.spec import build_vocabulary
from lentera.web.imports.writing import (
    CONSENT_FORM_VERSION,
    ImportOutcome,
    Progress,
    group_by_case,
    write_groups,
)

__all__ = [
    "CONSENT_FORM_VERSION",
    "ImportOutcome",
    "import_file",
    "import_kobo_api",
    "import_submissions",
    "outcome_summary",
    "report_csv",
]


def _today() -> dt.date:
    return timezone.localdate()


def _annotate_existing(
    organisation_id: int, records: Iterable[IntakeRecord], report: ValidationReport
) -> tuple[set[int], dict[str, str]]:
    """Warn about submissions already imported and possible duplicates; rows to skip."""
    records = list(records)
    uuids = [r.source_uuid for r in records if r.source_uuid]
    done = {
        s.uuid: s.case.reference
        for s in ImportedSubmission.objects.filter(
            organisation_id=organisation_id, source="kobo", uuid__in=uuids
        ).select_related("case")
    }
    skip: set[int] = set()
    for r in records:
        if r.source_uuid in done:
            skip.add(r.row)
            report.problems.append(
                Problem(
                    row=r.row,
                    column="_uuid",
                    value=r.source_uuid,
                    code="already_imported",
                    params={"case": done[r.source_uuid]},
                    severity="warning",
                )
            )
    hashes = {r.row: nik_hash(r.person.nik) for r in records if r.person.nik}
    nik_column = {r.row: r.columns.get("nik", "nik") for r in records}
    if hashes:
        by_hash: dict[str, set[str]] = {}
        links = CaseSurvivor.objects.filter(
            person__organisation_id=organisation_id,
            person__nik_index__in=set(hashes.values()),
        ).values_list("person__nik_index", "case__reference")
        for nik_index, reference in links:
            by_hash.setdefault(nik_index, set()).add(reference)
        orphan = Person.objects.filter(
            organisation_id=organisation_id, nik_index__in=set(hashes.values())
        ).values_list("nik_index", flat=True)
        for nik_index in orphan:
            by_hash.setdefault(nik_index, set())
        for row, h in hashes.items():
            if h in by_hash and row not in skip:
                report.problems.append(
                    Problem(
                        row=row,
                        column=nik_column[row],
                        code="possible_duplicate",
                        params={"case": ", ".join(sorted(by_hash[h])) or "—"},
                        severity="warning",
                    )
                )
    _annotate_likely_duplicates(organisation_id, records, report, skip)
    return skip, done


def _annotate_likely_duplicates(
    organisation_id: int, records: list[IntakeRecord], report: ValidationReport, skip: set[int]
) -> None:
    """Warn where the linkage model (names, dates, phone, origin) finds an existing survivor.

    One linkage run over the organisation's survivors plus the file's
    (:func:`lentera.web.cases.selectors.existing_matches`); rows already flagged by NIK are
    not flagged twice.
    """
    flagged = {p.row for p in report.problems if p.code == "possible_duplicate"} | skip
    rows = [r for r in records if r.row not in flagged and r.person.full_name]
    found = case_selectors.existing_matches(
        organisation_id,
        {str(r.row): r.person.model_dump() for r in rows},
        threshold=case_selectors.THRESHOLD,
        batch=True,
    )
    cases = case_selectors.case_references_of(
        sorted({p.pk for matches in found.values() for p, _pair in matches})
    )
    for row, matches in sorted(found.items(), key=lambda kv: int(kv[0])):
        refs = set().union(*(cases.get(p.pk, {"—"}) for p, _pair in matches))
        report.problems.append(
            Problem(
                row=int(row),
                column="full_name",
                code="possible_duplicate",
                params={"case": ", ".join(sorted(refs))},
                severity="warning",
            )
        )


@transaction.atomic
def _finish(*, actor: User, outcome: ImportOutcome, source: str, run: ImportRun) -> ImportOutcome:
    report = outcome.report
    run.rows = report.rows
    run.valid_rows = len(report.records)
    run.errors = len(report.errors)
    run.warnings = len(report.warnings)
    run.cases_created = outcome.cases_created if outcome.written else 0
    run.survivors_created = outcome.survivors_created if outcome.written else 0
    run.skipped_existing = outcome.skipped_existing
    run.written = outcome.written
    run.save()
    if outcome.written:
        audit_log(
            actor=actor,
            action=AuditAction.CREATE,
            obj=run,
            detail={
                "import": True,
                "format": report.format,
                "source": source,
                "mode": outcome.mode,
                "file_sha256": report.sha256,
                "rows": report.rows,
                "valid_rows": run.valid_rows,
                "errors": run.errors,
                "warnings": run.warnings,
                "cases_created": run.cases_created,
                "survivors_created": run.survivors_created,
                "skipped_existing": run.skipped_existing,
            },
        )
    if not outcome.written:
        outcome.cases_created = outcome.survivors_created = 0
        outcome.case_references = []
    return outcome


def _import_report(
    *,
    actor: User,
    report: ValidationReport,
    mode: str,
    source: str,
    progress: Progress | None = None,
) -> ImportOutcome:
    membership = require_case_role(actor)
    if mode not in ImportMode.values:
        raise LenteraError("mode_unknown", _("Unknown import mode."))
    outcome = ImportOutcome(report=report, mode=mode)
    skip, _done = _annotate_existing(membership.organisation_id, report.records, report)
    outcome.skipped_existing = len(skip)
    records = [r for r in report.records if r.row not in skip]
    groups = group_by_case(records)
    run = ImportRun.objects.create(
        organisation_id=membership.organisation_id,
        actor=actor,
        format=report.format,
        source=source,
        mode=mode,
        file_sha256=report.sha256,
    )
    outcome.run = run
    if report.file_error or not groups or (mode == ImportMode.ALL and not report.ok):
        return _finish(actor=actor, outcome=outcome, source=source, run=run)
    checked: dict[int, Any] = {}
    if mode in {ImportMode.CHECK, ImportMode.ALL}:
        # Check first, writing nothing: every case is built and checked by the case store
        # (its services' own checks, in memory), so those problems are reported too; the
        # cases built are kept for the write.
        passed = write_groups(
            actor,
            groups,
            outcome,
            stop_at_first=False,
            dry_run=True,
            progress=progress,
            checked=checked if mode == ImportMode.ALL else None,
        )
        if mode == ImportMode.CHECK or not passed:
            return _finish(actor=actor, outcome=outcome, source=source, run=run)
        outcome.cases_created = outcome.survivors_created = 0
        outcome.case_references = []
    # Then write in short batches. In "all" mode the check above has passed; a case refused
    # now can only be a concurrent change (another import of the same submissions), and
    # the run stops there, reporting exactly which cases were written before it.
    write_groups(
        actor,
        groups,
        outcome,
        stop_at_first=mode == ImportMode.ALL,
        dry_run=False,
        progress=progress,
        checked=checked,
    )
    outcome.written = outcome.cases_created > 0
    return _finish(actor=actor, outcome=outcome, source=source, run=run)


def import_file(
    *,
    actor: User,
    fmt: str,
    filename: str,
    content: bytes,
    mode: str = ImportMode.CHECK,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check a file of format ``kobo``, ``htcds`` or ``lentera`` and, if the mode says so, import it."""
    require_case_role(actor)
    if fmt not in intake.FORMATS:
        raise LenteraError("format_unknown", _("Unknown import format."))
    report = intake.check_file(
        content, filename, fmt, build_vocabulary(), today=_today(), progress=progress
    )
    return _import_report(actor=actor, report=report, mode=mode, source="file", progress=progress)


def import_submissions(
    *,
    actor: User,
    submissions: list[dict[str, Any]],
    mode: str = ImportMode.CHECK,
    sha256: str = "",
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check and import KoboToolbox submissions already fetched as JSON."""
    require_case_role(actor)
    report = intake.check_submissions(
        submissions, build_vocabulary(), today=_today(), progress=progress, sha256=sha256
    )
    return _import_report(
        actor=actor, report=report, mode=mode, source="kobo_api", progress=progress
    )


def import_kobo_api(
    *,
    actor: User,
    server_url: str,
    asset_uid: str,
    token: str,
    mode: str = ImportMode.CHECK,
    fetch: Fetch | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Fetch an asset's submissions from the KoboToolbox API, then check and import them."""
    import hashlib
    import json

    require_case_role(actor)
    check_kobo_server(server_url)
    submissions = intake.fetch_submissions(server_url, asset_uid, token, fetch=fetch)
    digest = hashlib.sha256(
        json.dumps(submissions, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()
    return import_submissions(
        actor=actor, submissions=submissions, mode=mode, sha256=digest, progress=progress
    )


#: problems kept with a job's result (the rest are counted); the cell values are left out
SUMMARY_PROBLEMS = 500


def outcome_summary(outcome: ImportOutcome) -> dict[str, Any]:
    """The outcome as a background job keeps it: counts and problems, no cell values
    (they may be personal data)."""
    problems = [
        {k: v for k, v in p.items() if k != "value"} for p in outcome.problems()[:SUMMARY_PROBLEMS]
    ]
    return {
        "ok": outcome.ok,
        "mode": outcome.mode,
        "written": outcome.written,
        "rows": outcome.report.rows,
        "valid_rows": len(outcome.report.records),
        "errors": len(outcome.report.errors),
        "warnings": len(outcome.report.warnings),
        "cases_created": outcome.cases_created,
        "survivors_created": outcome.survivors_created,
        "skipped_existing": outcome.skipped_existing,
        "case_references": outcome.case_references[:50],
        "problems": problems,
        "problems_total": len(outcome.report.problems),
        "run_id": outcome.run.pk if outcome.run else None,
    }


def report_csv(outcome: ImportOutcome, lang: str | None = None) -> bytes:
    """The report as CSV (row, column, value, severity, problem); formulas neutralised."""
    header = [_("Row"), _("Column"), _("Value"), _("Severity"), _("Problem")]
    rows = [
        [
            p["row"] if p["row"] is not None else "",
            p["column"],
            p["value"],
            p["severity"],
            p["message"],
        ]
        for p in outcome.problems(lang)
    ]
    return intake.rows_csv(header, rows)
