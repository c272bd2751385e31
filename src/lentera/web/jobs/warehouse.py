"""The organisation's analytics warehouse as a page sees it, and its rebuild job.

Pages never build the warehouse in the request: a missing or stale one (older than
:data:`lentera.web.core.warehouse.MAX_AGE`) queues the ``warehouse_rebuild`` job, and the page
shows the figures it has (or says they are being built). Used by the analytics dashboard and
the reintegration outcomes page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from lentera.web.core.access import membership_for
from lentera.web.core.warehouse import MAX_AGE, built_at, warehouse_path
from lentera.web.jobs.models import ACTIVE, Job
from lentera.web.jobs.services import enqueue

if TYPE_CHECKING:
    from lentera.web.accounts.models import User


def active_rebuild_job(*, organisation_id: int) -> Job | None:
    """The organisation's queued or running warehouse rebuild, if any."""
    return (
        Job.objects.filter(
            organisation_id=organisation_id, kind="warehouse_rebuild", status__in=ACTIVE
        )
        .order_by("-id")
        .first()
    )


@dataclass(frozen=True)
class WarehouseState:
    """The organisation's warehouse as a page sees it: never built in the request."""

    path: Path | None  # None: not built yet
    built_at: dt.datetime | None
    job: Any  # the queued or running rebuild, if any


def current_warehouse(*, actor: User) -> WarehouseState:
    """The organisation's warehouse as it is; a rebuild is queued (never run here) when it
    is missing or older than :data:`MAX_AGE`."""
    membership = membership_for(actor)
    path = warehouse_path(membership.organisation.code)
    when = built_at(path)
    job = active_rebuild_job(organisation_id=membership.organisation_id)
    if job is None and (when is None or timezone.now() - when > MAX_AGE):
        job = enqueue("warehouse_rebuild", actor=actor)
    return WarehouseState(path=path if when is not None else None, built_at=when, job=job)
