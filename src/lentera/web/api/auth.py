"""Who is calling the REST API: a bearer token (hashed at rest) or the browser session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja.errors import HttpError
from ninja.security import HttpBearer

from lentera.web.accounts.models import User
from lentera.web.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``; a read-only token may only read."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = api_token_authenticate(token=token)
        if row is None:
            return None
        if row.read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise HttpError(403, "this API token is read-only")
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
