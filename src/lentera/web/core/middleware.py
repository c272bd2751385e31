"""Map :class:`LenteraError` to HTTP responses in one place."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from lentera.errors import LenteraError

HTTP_STATUS = {
    "invalid": 400,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "unavailable": 503,
}


class LenteraErrorMiddleware:
    """Render expected failures as friendly pages with the right status code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from lentera.web.core.busy import busy_response, is_lock_error

        if is_lock_error(exception):
            return busy_response(request)
        if not isinstance(exception, LenteraError):
            return None
        if request.path.startswith("/api/"):
            return None  # the API maps errors itself
        status = HTTP_STATUS.get(exception.kind, 400)
        return render(
            request,
            "core/error.html",
            {"status": status, "message": exception.message},
            status=status,
        )


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script, nothing from other origins) and related headers."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/docs"):
            # Swagger UI (served locally by ninja) needs an inline initialiser.
            response.setdefault(
                "Content-Security-Policy",
                self.CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
                    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
                ),
            )
        else:
            response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class SessionIdleMiddleware:
    """Sliding inactivity timeout without a database write on every request.

    The session (and its cookie) is re-saved — pushing the expiry
    ``SESSION_COOKIE_AGE`` seconds ahead — at most once a minute per user.
    """

    REFRESH_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - int(session.get("_lentera_seen", 0)) >= self.REFRESH_SECONDS:
                session["_lentera_seen"] = now
        return self.get_response(request)


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose otherwise (language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on
    most phones sold in Indonesia says English; Lentera opens in Indonesian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        lang = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        patch_vary_headers(response, ("Cookie",))
        return response
