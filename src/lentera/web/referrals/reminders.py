"""Reminders: in-app notifications for overdue referrals, due follow-ups and legal
deadlines, optionally e-mailed through Django's e-mail backend.

Run daily (``lentera reminders``, e.g. from a systemd timer or cron). Runs are
idempotent: each reminder has a key (what, which record, which due date), so a
second run on the same day creates nothing new. Notifications carry numbers and
dates, never survivors' names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation

from lentera.web.cases.models import Case
from lentera.web.referrals import choices
from lentera.web.referrals.labels import notification_text
from lentera.web.referrals.models import Notification, Referral, SupportAction
from lentera.web.referrals.selectors import case_workers, legal_deadlines_due, supervisors
from lentera.web.referrals.services import notify

Kind = choices.NotificationKind


@dataclass
class ReminderRun:
    """What a reminder run did (this app's and :mod:`lentera.web.reintegration.reminders`)."""

    created: int = 0
    emailed: int = 0


def run_reminders(*, today: dt.date | None = None, email: bool = False) -> ReminderRun:
    """Create the reminders due today across the instance; e-mail them if asked."""
    today = today or timezone.localdate()
    run = ReminderRun()
    overdue = Referral.objects.filter(
        status__in=choices.OPEN_STATUSES, due_date__lt=today
    ).select_related("case__owner", "created_by")
    for r in overdue:
        run.created += notify(
            [r.created_by, r.case.owner, *supervisors(r.organisation_id)],
            kind=Kind.REFERRAL_OVERDUE,
            params={"number": r.number, "due": r.due_date.isoformat(), "status": r.status},
            url=f"/referrals/{r.pk}/",
            key=f"referral-overdue:{r.pk}:{r.due_date.isoformat()}",
        )
        if r.receiving_organisation_id and r.status == choices.ReferralStatus.SENT:
            run.created += notify(
                case_workers(r.receiving_organisation_id),
                kind=Kind.INBOX_OVERDUE,
                params={"number": r.number, "due": r.due_date.isoformat()},
                url=f"/referrals/{r.pk}/",
                key=f"inbox-overdue:{r.pk}:{r.due_date.isoformat()}",
            )
    actions = SupportAction.objects.filter(
        Q(next_follow_up__lte=today) | Q(planned_end__lt=today),
        status__in=[choices.ActionStatus.PLANNED, choices.ActionStatus.IN_PROGRESS],
    ).select_related("case_survivor__case__owner", "responsible")
    for a in actions:
        case = a.case_survivor.case
        due = a.next_follow_up if a.next_follow_up and a.next_follow_up <= today else a.planned_end
        run.created += notify(
            [a.responsible or case.owner],
            kind=Kind.FOLLOW_UP_DUE,
            params={"case": case.reference, "due": due.isoformat()},
            url=f"/cases/{case.pk}/",
            key=f"follow-up:{a.pk}:{due.isoformat()}",
        )
    for case, d in legal_deadlines_due(Case.objects.select_related("owner"), today=today):
        state = "overdue" if d.status == "overdue" else "soon"
        run.created += notify(
            [case.owner],
            kind=Kind.LEGAL_DEADLINE_OVERDUE if state == "overdue" else Kind.LEGAL_DEADLINE_SOON,
            params={"case": case.reference, "deadline": d.id, "due": d.due.isoformat()},
            url=f"/referrals/cases/{case.pk}/legal-process/",
            key=f"legal:{case.pk}:{d.survivor}:{d.id}:{d.due.isoformat()}:{state}",
        )
    if email:
        run.emailed = send_pending_email()
    return run


def send_pending_email() -> int:
    """E-mail each unread, not yet e-mailed notification to users who have an address."""
    sent = 0
    pending = Notification.objects.filter(
        read_at__isnull=True, emailed_at__isnull=True
    ).select_related("user")
    base = getattr(settings, "LENTERA_BASE_URL", "").rstrip("/")
    for n in pending:
        if not n.user.email or not n.user.is_active:
            continue
        with translation.override(n.user.preferred_language or "id"):
            text = notification_text(n)
            body = f"{text}\n\n{base}{n.url}" if base else text
            send_mail(
                subject=f"[Lentera] {text[:120]}",
                message=body,
                from_email=None,
                recipient_list=[n.user.email],
            )
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
