"""A database lock never reaches a user as a 500.

SQLite runs in WAL mode with a busy timeout (settings), and long work writes in short
transactions, so a lock should not outlast the timeout. If one ever does — or
PostgreSQL reports a lock timeout, a deadlock or a serialisation failure — the user
gets "busy, try again in a few seconds" with ``503 Service Unavailable`` and
``Retry-After``, and nothing from the request is kept (its transaction rolled back).
"""

from __future__ import annotations

import sys

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

__all__ = ["RETRY_AFTER_SECONDS", "busy_response", "is_lock_error", "lock_error_in_flight"]

RETRY_AFTER_SECONDS = 5

#: SQLite's messages for a lock it waited on for the whole busy timeout
_SQLITE_LOCKED = ("database is locked", "database table is locked", "database schema is locked")
#: PostgreSQL: lock_not_available, serialization_failure, deadlock_detected
_PG_LOCK_STATES = {"55P03", "40001", "40P01"}


def is_lock_error(exc: BaseException | None) -> bool:
    """True for a database error that only means "someone else holds the lock: retry"."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state in _PG_LOCK_STATES:
        return True
    text = str(exc).lower()
    return any(m in text for m in _SQLITE_LOCKED)


def lock_error_in_flight() -> bool:
    """Whether the exception being handled right now (in an error handler) is a lock."""
    return is_lock_error(sys.exc_info()[1])


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 + Retry-After: a JSON error for the API, a friendly page for people."""
    message = _(
        "Lentera is busy for a moment: another large job is writing to the database. "
        "Nothing from this request was saved. Please try again in a few seconds."
    )
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "busy", "message": message, "field": None}, status=503)
    else:
        response = render(
            request, "core/error.html", {"status": 503, "message": message}, status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
