"""Periodic jobs, defined here and only here, run by ``lentera worker`` (no cron needed).

Each entry runs once a day at a local time (WIB); a missed run (the worker was stopped)
is made up at the next start. Per-organisation entries queue one job per organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from lentera.web.jobs.models import Job


@dataclass(frozen=True)
class Periodic:
    name: str
    kind: str
    at: dt.time  # local time (settings.TIME_ZONE)
    per_organisation: bool = False
    description: str = ""


PERIODIC: tuple[Periodic, ...] = (
    Periodic(
        "nightly-warehouse",
        "warehouse_rebuild",
        dt.time(1, 0),
        per_organisation=True,
        description="rebuild each organisation's analytics figures",
    ),
    Periodic(
        "daily-retention",
        "retention",
        dt.time(2, 0),
        per_organisation=True,
        description="anonymise survivors whose retention period has ended",
    ),
    Periodic("nightly-backup", "backup", dt.time(3, 0), description="encrypted, verified backup"),
    Periodic("daily-cleanup", "jobs_cleanup", dt.time(4, 0), description="delete old job uploads"),
    Periodic(
        "daily-reminders",
        "referral_reminders",
        dt.time(6, 0),
        description="overdue referrals, follow-ups, legal deadlines, reintegration visits, contacts",
    ),
)


def last_slot(entry: Periodic, now: dt.datetime) -> dt.datetime:
    """The latest scheduled moment at or before ``now``."""
    local = timezone.localtime(now)
    slot = local.replace(hour=entry.at.hour, minute=entry.at.minute, second=0, microsecond=0)
    if slot > local:
        slot -= dt.timedelta(days=1)
    return slot


def tick(now: dt.datetime | None = None) -> list[Job]:
    """Queue every periodic job whose slot has come and that has no job for that slot yet."""
    from lentera.web.accounts.models import Organisation
    from lentera.web.jobs.services import enqueue

    now = now or timezone.now()
    queued: list[Job] = []
    for entry in PERIODIC:
        slot = last_slot(entry, now)
        orgs = list(Organisation.objects.order_by("pk")) if entry.per_organisation else [None]
        for org in orgs:
            key = f"schedule:{entry.name}:{org.pk if org else '-'}:{slot:%Y-%m-%dT%H:%M}"
            if Job.objects.filter(key=key).exists():
                continue
            queued.append(enqueue(entry.kind, organisation=org, schedule=entry.name, key=key))
    return queued
