"""Writes of notifications: creating them (idempotent per key) and marking them read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from lentera.web.accounts.models import User
from lentera.web.referrals.models import Notification


def notify(
    users: Iterable[User | None], *, kind: str, params: dict[str, Any], url: str, key: str
) -> int:
    """One notification per user and key; returns how many were new. Never personal data in params."""
    made = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        _n, created = Notification.objects.get_or_create(
            user=user, key=key[:120], defaults={"kind": kind, "params": params, "url": url}
        )
        made += int(created)
    return made


@transaction.atomic
def notification_mark_read(*, actor: User, notification: Notification | None = None) -> int:
    """Mark one of the actor's notifications read (``notification``), or all of them (None);
    returns how many changed.

    Only the actor's own notifications are touched, whatever is passed. Not audited: the read
    mark is the user's own inbox state and carries no survivor data.
    """
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())
