"""Reminders for due and overdue reintegration follow-ups (``lentera reintegration remind``).

Uses the referral app's notifications (:func:`lentera.web.referrals.services.notify` and
:func:`lentera.web.referrals.reminders.send_pending_email`), so reminders share the bell, the
unread count and the e-mail run. Idempotent: one notification per user, follow-up and due
date. Texts carry the case number and the date, never a name.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.web.referrals.reminders import ReminderRun, send_pending_email
from lentera.web.referrals.services import notify
from lentera.web.reintegration.models import ReintegrationFollowUp

#: notification kinds of this app (texts in :func:`notification_text`)
KIND_DUE = "reintegration_follow_up_due"
KIND_OVERDUE = "reintegration_follow_up_overdue"
#: a reminder is created this many days before the due date
AHEAD_DAYS = 7


def run_reminders(*, today: dt.date | None = None, email: bool = False) -> ReminderRun:
    """Remind the case owner and the plan's author of follow-ups due within a week or overdue."""
    today = today or timezone.localdate()
    run = ReminderRun()
    rows = ReintegrationFollowUp.objects.filter(
        outcome="", due_date__lte=today + dt.timedelta(days=AHEAD_DAYS)
    ).select_related("plan__case__owner", "plan__created_by")
    for f in rows:
        case = f.plan.case
        overdue = f.due_date < today
        run.created += notify(
            [case.owner, f.plan.created_by],
            kind=KIND_OVERDUE if overdue else KIND_DUE,
            params={"case": case.reference, "due": f.due_date.isoformat(), "months": f.months},
            url=f"/reintegration/followups/{f.pk}/",
            key=f"reint-followup:{f.pk}:{f.due_date.isoformat()}:{'late' if overdue else 'due'}",
        )
    if email:
        run.emailed = send_pending_email()
    return run


def notification_urls(person_ids: list[int]) -> list[str]:
    """URL prefixes of this app's notifications about these persons (erased on anonymisation)."""
    ids = ReintegrationFollowUp.objects.filter(plan__person_id__in=person_ids).values_list(
        "pk", flat=True
    )
    return [f"/reintegration/followups/{pk}/" for pk in ids]


def notification_text(kind: str, params: dict[str, object]) -> str:
    """The reader's-language text of this app's notification kinds ("" for another kind)."""
    if kind == KIND_DUE:
        return _("Case %(case)s: a reintegration follow-up is due on %(due)s.") % params
    if kind == KIND_OVERDUE:
        return (
            _("Case %(case)s: a reintegration follow-up was due on %(due)s and is not recorded.")
            % params
        )
    return ""
