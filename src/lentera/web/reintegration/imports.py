"""Import RSS submissions into the schedule: a KoboToolbox / ODK Collect export (.csv or .xlsx),
or fetched from the KoboToolbox API (:func:`submissions_fetch`; the token is used for that one
fetch and never stored, the server must be allowed in ``LENTERA_KOBO_SERVERS``).

Each row is one submission of ``lentera intake xlsform --form rss``. It is matched to a
follow-up by the follow-up code printed on the plan page (``RF-<id>`` in the survivor field)
or by the case number plus the visit date (the pending follow-up of that case's plans whose
due date is nearest, within 60 days, or the one of the slot the form names). Messages name
the row and the field, like the intake import. The import is all or nothing: one bad row and
nothing is written; a dry run writes nothing either.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.intake import KoboError, fetch_submissions, visit_from_submission
from lentera.intake.kobo import Fetch
from lentera.intake.messages import message
from lentera.intake.reading import IntakeFileError, read_table
from lentera.web.accounts.models import User
from lentera.web.core.access import require_case_role
from lentera.web.core.i18n import current_lang
from lentera.web.core.kobo import check_kobo_server
from lentera.web.reintegration import choices, services
from lentera.web.reintegration.models import ReintegrationFollowUp

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


def submissions_import(
    *, actor: User, filename: str, content: bytes, dry_run: bool = True
) -> ImportReport:
    """Check every row of an export file, then (unless ``dry_run`` or a row is bad) record
    them all at once."""
    membership = require_case_role(actor)
    try:
        table = read_table(filename, content)
    except IntakeFileError as exc:
        raise LenteraError(exc.code, exc.problem.message(current_lang()), field="file") from exc
    rows = ((n, dict(zip(table.header, cells, strict=False))) for n, cells in table.rows)
    return _import_rows(actor, membership.organisation_id, rows, dry_run)


def submissions_fetch(
    *,
    actor: User,
    server_url: str,
    asset_uid: str,
    token: str,
    dry_run: bool = True,
    fetch: Fetch | None = None,
) -> ImportReport:
    """Fetch the follow-up form's submissions from the KoboToolbox API, then check and record
    them as an export file's rows (row = position in the API's list). The token is used for
    this fetch only and never stored."""
    membership = require_case_role(actor)
    check_kobo_server(server_url)
    try:
        submissions = fetch_submissions(server_url, asset_uid, token, fetch=fetch)
    except KoboError as exc:
        text = message(exc.code, current_lang(), exc.params)
        field = "token" if exc.code == "kobo_token" else "server_url"
        raise LenteraError(exc.code, text, kind=exc.kind, field=field) from exc
    rows = ((n, s) for n, s in enumerate(submissions, 1) if isinstance(s, dict))
    return _import_rows(actor, membership.organisation_id, rows, dry_run)


def _import_rows(
    actor: User, organisation_id: int, rows: Iterable[tuple[int, dict[str, Any]]], dry_run: bool
) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    planned: list[tuple[ReintegrationFollowUp, Any]] = []
    seen: dict[int, int] = {}
    for number, submission in rows:
        report.rows += 1
        try:
            visit = visit_from_submission(submission)
        except LenteraError as exc:
            name = (exc.field or "").removeprefix("answers.")
            report.problems.append(RowMessage(number, name or "-", exc.message))
            continue
        followup = _match(organisation_id, visit.survivor, visit.visit_date, visit.visit_label)
        if followup is None:
            report.problems.append(
                RowMessage(
                    number, "survivor", _("No pending follow-up matches this code and date.")
                )
            )
            continue
        if followup.outcome:
            report.problems.append(
                RowMessage(number, "survivor", _("This follow-up is already recorded."))
            )
            continue
        if followup.pk in seen:
            report.problems.append(
                RowMessage(
                    number, "survivor",
                    _("Row %(row)s already fills this follow-up.") % {"row": seen[followup.pk]},
                )
            )  # fmt: skip
            continue
        seen[followup.pk] = number
        planned.append((followup, visit))
    report.matched = len(planned)
    if report.problems or dry_run:
        return report
    try:
        with transaction.atomic():
            for followup, visit in planned:
                services.followup_record(
                    actor=actor, followup=followup, outcome=OUTCOME_OF[visit.outcome],
                    done_on=visit.visit_date, note="",
                )  # fmt: skip
                if visit.outcome == "completed" and visit.answers:
                    services.score_record(
                        actor=actor, followup=followup, answers=dict(visit.answers)
                    )
                    report.scored += 1
    except LenteraError as exc:
        report.problems.append(RowMessage(seen.get(followup.pk, 0), exc.field or "-", exc.message))
        report.scored = 0
        return report
    report.written = True
    return report
