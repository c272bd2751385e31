"""Writing and verifying the audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from lentera.web.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _row_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "organisation_id": event.organisation_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "detail": event.detail,
    }


@transaction.atomic
def audit_log(
    *,
    actor: Any | None,
    action: str,
    obj: Any | None = None,
    object_type: str = "",
    object_id: str | int = "",
    organisation: Any | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row. ``detail`` must never contain personal data."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if organisation is None and actor is not None and getattr(actor, "is_authenticated", False):
        membership = getattr(actor, "membership_or_none", None)
        organisation = membership.organisation if membership else None
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    event = AuditEvent(
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        organisation=organisation,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        prev_hash=head.last_hash,
    )
    event.hash = _row_hash(head.last_hash, _fields(event))
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    from lentera.web.core.reads import note_audit_row

    note_audit_row(action)
    return event


@dataclass(frozen=True)
class ChainReport:
    rows: int
    ok: bool
    problems: tuple[str, ...]


def audit_verify() -> ChainReport:
    """Walk the chain and report altered, deleted or inserted rows."""
    problems: list[str] = []
    prev = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if event.prev_hash != prev:
            problems.append(
                f"row {event.pk}: chain broken (a row before it was deleted or inserted)"
            )
        expected = _row_hash(event.prev_hash, _fields(event))
        if expected != event.hash:
            problems.append(f"row {event.pk}: content altered")
        prev = event.hash
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        problems.append("the last rows of the log were deleted")
    return ChainReport(rows=count, ok=not problems, problems=tuple(problems))
