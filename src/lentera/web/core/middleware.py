"""Map :class:`LenteraError` to HTTP responses in one place."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lentera.errors import LenteraError

HTTP_STATUS = {"invalid": 400, "forbidden": 403, "not_found": 404, "conflict": 409, "unavailable": 503}


class LenteraErrorMiddleware:
    """Render expected failures as friendly pages with the right status code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LenteraError):
            return None
        if request.path.startswith("/api/"):
            return None  # the API maps errors itself
        status = HTTP_STATUS.get(exception.kind, 400)
        return render(request, "core/error.html", {"status": status, "message": exception.message}, status=status)
