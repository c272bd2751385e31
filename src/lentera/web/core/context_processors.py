"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def lentera(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    membership = user.membership_or_none if user is not None and user.is_authenticated else None
    return {
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "membership": membership,
        "organisation": membership.organisation if membership else None,
        # a callable: counted only when a template shows it
        "unread_notifications": (lambda: _unread(user)) if membership else 0,
    }


def _unread(user: Any) -> int:
    from lentera.web.referrals.selectors import unread_count

    return unread_count(user)
