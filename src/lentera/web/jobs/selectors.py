"""Reads of background jobs: the actor's organisation's (everyone their own; supervisors and
admins the organisation's), and whether a worker is alive."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.errors import LenteraError
from lentera.web.accounts.models import SUPERVISING_ROLES
from lentera.web.core.access import membership_for
from lentera.web.jobs.models import Job, WorkerHeartbeat

if TYPE_CHECKING:
    from lentera.web.accounts.models import User

#: a worker that has not written its heartbeat for this long is taken as stopped
HEARTBEAT_STALE = dt.timedelta(seconds=90)


def jobs_for_user(*, actor: User) -> QuerySet[Job]:
    """The jobs of the actor's organisation (all for a supervisor or admin, their own for others)."""
    membership = membership_for(actor)
    qs = Job.objects.filter(organisation_id=membership.organisation_id)
    if membership.role not in SUPERVISING_ROLES:
        qs = qs.filter(actor=actor)
    return qs


def job_list_for_user(*, actor: User, limit: int = 100) -> list[Job]:
    """The latest ``limit`` jobs the actor may see, with their organisation."""
    return list(jobs_for_user(actor=actor).select_related("organisation")[:limit])


def job_for_user(*, actor: User, job_id: int) -> Job:
    """One job the actor may see, else ``not_found`` (also for another organisation's job)."""
    job = jobs_for_user(actor=actor).filter(pk=job_id).select_related("organisation").first()
    if job is None:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    return job


def worker_alive(now: dt.datetime | None = None) -> bool:
    """True if some worker wrote its heartbeat within :data:`HEARTBEAT_STALE`."""
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(seen_at__gte=now - HEARTBEAT_STALE).exists()
