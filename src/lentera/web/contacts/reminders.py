"""Reminders of the contact log: follow-ups due and the missing-person cycle.

``lentera contacts remind`` (and the daily job) runs :func:`run_contact_reminders`. Each
reminder has a key (what, which contact, which due date), so a second run on the same day
creates nothing new. A missing-person contact reminds every ``reminder_days`` days after it
came in, for as long as it is open. Notifications carry the contact number and a date, never
a name; they go through the referrals app's notification service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from lentera.web.accounts.models import SUPERVISING_ROLES, Membership
from lentera.web.contacts.selectors import missing_check_due, open_contacts_due
from lentera.web.referrals.services import notify


@dataclass
class ContactReminderRun:
    follow_ups: int = 0
    missing: int = 0

    @property
    def created(self) -> int:
        return self.follow_ups + self.missing


def _supervisors(organisation_id: int) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.select_related("user").filter(
            organisation_id=organisation_id, role__in=list(SUPERVISING_ROLES), user__is_active=True
        )
    ]


def run_contact_reminders(*, today: dt.date | None = None) -> ContactReminderRun:
    """Create today's contact reminders across the instance (idempotent)."""
    today = today or timezone.localdate()
    run = ContactReminderRun()
    supervisors: dict[int, list[Any]] = {}
    for c in open_contacts_due(today=today):
        url = f"/contacts/{c.pk}/"
        if c.follow_up_due and c.follow_up_due <= today:
            run.follow_ups += notify(
                [c.handled_by],
                kind="contact_follow_up_due",
                params={"number": c.number, "due": c.follow_up_due.isoformat()},
                url=url,
                key=f"contact-follow-up:{c.pk}:{c.follow_up_due.isoformat()}",
            )
        due = missing_check_due(c, today) if c.missing_person else None
        if due is not None:
            if c.organisation_id not in supervisors:
                supervisors[c.organisation_id] = _supervisors(c.organisation_id)
            run.missing += notify(
                [c.handled_by, *supervisors[c.organisation_id]],
                kind="contact_missing_check",
                params={
                    "number": c.number,
                    "due": due.isoformat(),
                    "days": (today - c.received_on).days,
                },
                url=url,
                key=f"contact-missing:{c.pk}:{due.isoformat()}",
            )
    return run
