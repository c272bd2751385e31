"""Reads of the audit log: the organisation's rows only, for supervisors and organisation admins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from lentera.web.audit.models import AuditEvent
from lentera.web.core.access import require_supervisor

if TYPE_CHECKING:
    from lentera.web.accounts.models import User


def audit_events_for_user(
    *, actor: User, filters: Mapping[str, Any] | None = None
) -> QuerySet[AuditEvent]:
    """The actor's organisation's audit rows, newest first, narrowed by ``filters``.

    ``filters`` holds the cleaned audit filter form: ``action``, ``actor`` (a username),
    ``object_type``, ``object_id``, ``date_from`` and ``date_to`` (inclusive); an empty value
    does not filter. Supervisors and organisation admins only (``forbidden`` otherwise).
    """
    membership = require_supervisor(actor)
    qs = (
        AuditEvent.objects.filter(organisation_id=membership.organisation_id)
        .select_related("actor")
        .order_by("-id")
    )
    data = filters or {}
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("actor"):
        qs = qs.filter(actor_username=data["actor"])
    if data.get("object_type"):
        qs = qs.filter(object_type=data["object_type"])
    if data.get("object_id"):
        qs = qs.filter(object_id=data["object_id"])
    if data.get("date_from"):
        qs = qs.filter(at__date__gte=data["date_from"])
    if data.get("date_to"):
        qs = qs.filter(at__date__lt=data["date_to"] + dt.timedelta(days=1))
    return qs
