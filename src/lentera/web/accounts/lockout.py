"""Login throttling records (django-axes) without plaintext usernames, and with an end.

What someone types as a username may be a mistyped password or a survivor's name, so
axes stores only a keyed hash of it (HMAC with the blind-index key, after Unicode
normalisation and case folding, so lockout still applies to case and width variants).
Records are deleted once they can no longer matter (:func:`purge_login_records`).
Behind a reverse proxy, ``LENTERA_TRUSTED_PROXY_COUNT`` makes axes key lockout on the
client's address from ``X-Forwarded-For`` rather than the proxy's, so nobody can lock
another user out from behind the same proxy.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django.conf import settings
from django.utils import timezone

#: failed-login records older than this are deleted (lockouts last AXES_COOLOFF_TIME hours)
KEEP_DAYS = 30


def hashed_username(request: Any, credentials: dict[str, Any] | None = None) -> str:
    from lentera.web.core.crypto import blind_index

    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    raw = (credentials or {}).get(field) or (
        request.POST.get(field, "") if request is not None and hasattr(request, "POST") else ""
    )
    normal = unicodedata.normalize("NFKC", str(raw)).strip().casefold()
    return "h:" + blind_index(normal, purpose="login-username")[:40] if normal else ""


def client_ip(request: Any) -> str:
    """The client's address: ``REMOTE_ADDR``, or behind ``LENTERA_TRUSTED_PROXY_COUNT`` trusted
    proxies the ``X-Forwarded-For`` entry the outermost trusted proxy appended (entries further
    left are the client's to forge)."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    count = int(getattr(settings, "LENTERA_TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    hops = [h for h in hops if h]
    return hops[-count] if len(hops) >= count else remote


def purge_login_records(*, now: dt.datetime | None = None) -> int:
    """Delete expired lockout attempts and old login logs; returns rows deleted."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = now or timezone.now()
    cooloff = dt.timedelta(hours=float(getattr(settings, "AXES_COOLOFF_TIME", 0.5) or 0.5))
    old = now - dt.timedelta(days=KEEP_DAYS)
    deleted = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=old).delete()[0]
    deleted += AccessLog.objects.filter(attempt_time__lt=old).delete()[0]
    return deleted
