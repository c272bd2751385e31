"""Import RSS submissions into the schedule: a KoboToolbox / ODK Collect export (.csv or .xlsx),
or fetched from the KoboToolbox API (:func:`submissions_download`; the token is used for that one
fetch and never stored, the server must be allowed in ``LENTERA_KOBO_SERVERS``; the fetched
submissions are checked and recorded by :func:`submissions_import` with ``fetched``).

Each row is one submission of ``lentera intake xlsform --form rss``. It is matched to a
follow-up by the follow-up code printed on the plan page (``RF-<id>`` in the survivor field)
or by the case number plus the visit date (the pending follow-up of that case's plans whose
due date is nearest, within 60 days, or the one of the slot the form names). Messages name
the row and the field, like the intake import.

Like the case import, every row is checked first, outside any transaction (the match, the
outcome and date checks of :func:`services.followup_check`, the survey scored in memory by
:func:`services.score_check`): one bad row and nothing is written; a dry run writes nothing
either. Then the rows are written in short transactions
(:func:`lentera.web.core.batching.in_short_transactions`), so a large file never holds the
database's write lock for long. Each written row records its submission's key
(:class:`ImportedVisit`: ``_uuid``/``meta/instanceID``, or a digest of its cells) in the same
transaction, so a job retried after stopping midway skips the rows already written and
writes each row once. A follow-up recorded by someone else between the check and the write
stops the run at that row; the rows before it stay written and the report says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.intake import KoboError, fetch_submissions, visit_from_submission
from lentera.intake.kobo import Fetch
from lentera.intake.messages import message
from lentera.intake.reading import IntakeFileError, read_table
from lentera.web.accounts.models import User
from lentera.web.core.access import require_case_role
from lentera.web.core.batching import SLOW_BATCH_ROWS, in_short_transactions
from lentera.web.core.i18n import current_lang
from lentera.web.core.kobo import check_kobo_server
from lentera.web.reintegration import choices, services
from lentera.web.reintegration.models import ImportedVisit, ReintegrationFollowUp

Progress = Callable[[int, int], None]
#: rows written per transaction (each through the per-row services: a few ms a row)
BATCH_ROWS = SLOW_BATCH_ROWS
#: a submission's own id, when the export has one
KEY_COLUMNS = ("_uuid", "meta/instanceID", "instanceID")
FOLLOWUP_CODE = re.compile(r"^RF-(\d{1,12})$", re.IGNORECASE)
WINDOW_DAYS = 60
OUTCOME_OF = {
    "completed": choices.Outcome.REACHED,
    "not_reached": choices.Outcome.NOT_REACHED,
    "refused": choices.Outcome.REFUSED,
}


@dataclass(frozen=True)
class RowMessage:
    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    matched: int = 0
    scored: int = 0
    #: rows of submissions an earlier import (or an earlier try of this job) already wrote
    skipped: int = 0
    #: rows written by this run (all matched rows, unless a conflict stopped it midway)
    written_rows: int = 0
    written: bool = False
    dry_run: bool = True
    problems: list[RowMessage] = field(default_factory=list)


def followup_code(followup: ReintegrationFollowUp) -> str:
    """The code a worker copies into the form's survivor field to match this follow-up."""
    return f"RF-{followup.pk}"


def _months(label: str | None) -> int | None:
    if not label:
        return None
    if label == "return":
        return 0
    m = re.fullmatch(r"month_(\d+)", label)
    return int(m.group(1)) if m else None


def _match(organisation_id: int, survivor: str, day: dt.date, label: str | None) -> Any:
    code = FOLLOWUP_CODE.match(survivor)
    if code:
        return (
            ReintegrationFollowUp.objects.filter(
                organisation_id=organisation_id, pk=int(code.group(1))
            )
            .select_related("plan__case")
            .first()
        )
    pending = ReintegrationFollowUp.objects.filter(
        organisation_id=organisation_id,
        plan__case__reference__iexact=survivor,
        outcome="",
    ).select_related("plan__case")
    months = _months(label)
    if months is not None:
        slot = pending.filter(months=months).first()
        if slot is not None:
            return slot
    near = [f for f in pending if abs((f.due_date - day).days) <= WINDOW_DAYS]
    return min(near, key=lambda f: abs((f.due_date - day).days), default=None)


def submission_key(submission: dict[str, Any]) -> str:
    """The submission's own id (KoboToolbox ``_uuid``, ODK ``meta/instanceID``), else a digest
    of its non-empty cells: the same submission has the same key in every export."""
    for column in KEY_COLUMNS:
        value = str(submission.get(column) or "").strip()
        if value:
            return value.removeprefix("uuid:")[:100]
    cells = sorted(
        (str(k), str(v).strip()) for k, v in submission.items() if v is not None and str(v).strip()
    )
    return "sha256:" + hashlib.sha256(json.dumps(cells).encode("utf-8")).hexdigest()


def submissions_import(
    *,
    actor: User,
    filename: str,
    content: bytes,
    dry_run: bool = True,
    progress: Progress | None = None,
    fetched: bool = False,
) -> ImportReport:
    """Check every row of an export file (or, ``fetched``, of the submissions
    :func:`submissions_download` fetched), then (unless ``dry_run`` or a row is bad) record them
    in short transactions."""
    membership = require_case_role(actor)
    if fetched:
        rows = [(n, s) for n, s in enumerate(json.loads(content), 1) if isinstance(s, dict)]
    else:
        try:
            table = read_table(filename, content)
        except IntakeFileError as exc:
            problem = exc.problem.message(current_lang())
            raise LenteraError(exc.code, problem, field="file") from exc
        rows = [(n, dict(zip(table.header, cells, strict=False))) for n, cells in table.rows]
    return _import_rows(actor, membership.organisation_id, rows, dry_run, progress)


#: the name fetched submissions go to the import job under (they are JSON, not an export file)
FETCHED_NAME = "kobo-submissions.json"


def submissions_download(
    *,
    actor: User,
    server_url: str,
    asset_uid: str,
    token: str,
    fetch: Fetch | None = None,
) -> bytes:
    """Only the fetch: the follow-up form's submissions from the KoboToolbox API, as JSON for
    the import job (``submissions_import(fetched=True)``; row = position in the API's list). The
    token is used for this fetch only: never stored, never handed to the job."""
    require_case_role(actor)
    check_kobo_server(server_url)
    try:
        submissions = fetch_submissions(server_url, asset_uid, token, fetch=fetch)
    except KoboError as exc:
        text = message(exc.code, current_lang(), exc.params)
        field = "token" if exc.code == "kobo_token" else "server_url"
        raise LenteraError(exc.code, text, kind=exc.kind, field=field) from exc
    return json.dumps(list(submissions)).encode("utf-8")


@dataclass(frozen=True)
class _Planned:
    row: int
    key: str
    followup: ReintegrationFollowUp
    visit: Any


def _check_row(
    organisation_id: int, number: int, visit: Any, seen: dict[int, int]
) -> ReintegrationFollowUp:
    """The follow-up a row fills, or the :class:`LenteraError` naming what is wrong with it."""
    followup = _match(organisation_id, visit.survivor, visit.visit_date, visit.visit_label)
    if followup is None:
        raise LenteraError(
            "no_match", _("No pending follow-up matches this code and date."), field="survivor"
        )
    if followup.outcome:
        raise LenteraError("recorded", _("This follow-up is already recorded."), field="survivor")
    if followup.pk in seen:
        raise LenteraError(
            "duplicate",
            _("Row %(row)s already fills this follow-up.") % {"row": seen[followup.pk]},
            field="survivor",
        )
    outcome = OUTCOME_OF[visit.outcome]
    services.followup_check(followup=followup, outcome=outcome, done_on=visit.visit_date)
    if visit.outcome == "completed" and visit.answers:
        services.score_check(
            followup=followup, done_on=visit.visit_date, answers=dict(visit.answers)
        )
    return followup


#: the form's field for a field the services name
FORM_FIELD = {"done_on": "visit_date"}


def _field(exc: LenteraError) -> str:
    """The column of the file (the form's field) a refusal is about."""
    name = (exc.field or "").removeprefix("answers.")
    return FORM_FIELD.get(name, name) or "-"


def _import_rows(
    actor: User,
    organisation_id: int,
    rows: list[tuple[int, dict[str, Any]]],
    dry_run: bool,
    progress: Progress | None,
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    keys = {number: submission_key(submission) for number, submission in rows}
    done = set(
        ImportedVisit.objects.filter(
            organisation_id=organisation_id, key__in=set(keys.values())
        ).values_list("key", flat=True)
    )
    planned: list[_Planned] = []
    seen: dict[int, int] = {}
    keys_seen: dict[str, int] = {}
    for number, submission in rows:
        report.rows += 1
        if progress is not None:
            progress(report.rows, len(rows))
        key = keys[number]
        if key in done:
            report.skipped += 1
            continue
        if key in keys_seen:
            text = _("Row %(row)s is the same submission.") % {"row": keys_seen[key]}
            report.problems.append(RowMessage(number, "-", text))
            continue
        keys_seen[key] = number
        try:
            visit = visit_from_submission(submission)
            followup = _check_row(organisation_id, number, visit, seen)
        except LenteraError as exc:
            report.problems.append(RowMessage(number, _field(exc), exc.message))
            continue
        seen[followup.pk] = number
        planned.append(_Planned(number, key, followup, visit))
    report.matched = len(planned)
    if report.problems or dry_run or not planned:
        return report
    _write(actor, organisation_id, planned, report, progress)
    return report


def _write(
    actor: User,
    organisation_id: int,
    planned: list[_Planned],
    report: ImportReport,
    progress: Progress | None,
) -> None:
    """Write the checked rows in short transactions; a row refused now (a follow-up recorded
    meanwhile, the same submission imported by a concurrent run) stops the run there."""
    at: list[_Planned] = []

    def write(item: _Planned) -> None:
        at[:] = [item]
        # read again inside the transaction: recorded since the check means someone else did
        followup = (
            ReintegrationFollowUp.objects.select_related("plan__case")
            .filter(pk=item.followup.pk, organisation_id=organisation_id)
            .first()
        )
        if followup is None or followup.outcome:
            raise LenteraError(
                "recorded_meanwhile",
                _("This follow-up was recorded by someone else while the file was imported."),
                kind="conflict",
                field="survivor",
            )
        visit = item.visit
        services.followup_record(
            actor=actor, followup=followup, outcome=OUTCOME_OF[visit.outcome],
            done_on=visit.visit_date, note="",
        )  # fmt: skip
        if visit.outcome == "completed" and visit.answers:
            services.score_record(actor=actor, followup=followup, answers=dict(visit.answers))
            report.scored += 1
        ImportedVisit.objects.create(
            organisation_id=organisation_id, key=item.key, followup=followup
        )

    scored_before = 0

    def committed(n: int) -> None:
        nonlocal scored_before
        report.written_rows = n
        scored_before = report.scored
        if progress is not None:
            progress(n, len(planned))

    try:
        in_short_transactions(planned, write, max_rows=BATCH_ROWS, committed=committed)
    except (LenteraError, IntegrityError) as exc:
        item = at[0]
        if isinstance(exc, LenteraError):
            report.problems.append(RowMessage(item.row, _field(exc), exc.message))
        else:
            text = _("This submission was imported by someone else while the file was imported.")
            report.problems.append(RowMessage(item.row, "-", text))
        report.scored = scored_before  # the rows of the transaction under way were not kept
    report.written = report.written_rows > 0
