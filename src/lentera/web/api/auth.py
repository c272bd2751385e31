"""Who is calling the REST API: a bearer token (hashed at rest) or the browser session."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from lentera.web.accounts.models import ApiToken, User


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; a read-only token may only read."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=digest, revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active or not row.is_usable:
            return None
        if row.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise HttpError(403, "this API token is read-only")
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


def docs_login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """The API description (openapi.json, /api/docs) is for logged-in users only."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return JsonResponse(
                {
                    "code": "login_required",
                    "message": "log in to read the API description",
                    "field": None,
                },
                status=401,
            )
        return view(request, *args, **kwargs)

    return wrapped
