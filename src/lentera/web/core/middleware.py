"""Map :class:`LenteraError` to HTTP responses in one place."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
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


#: paths reachable before the second factor is verified (enrolment is handled separately:
#: only a user with no confirmed authenticator may reach it unverified)
_2FA_OPEN_PATHS = frozenset(
    {"/accounts/2fa/verify/", "/accounts/2fa/recover/", "/accounts/logout/", "/accounts/login/"}
)
_2FA_OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz", "/ping")
_2FA_SETUP_PATH = "/accounts/2fa/setup/"
_PASSWORD_PATH = "/accounts/password/"  # noqa: S105 - a URL, not a password


class TwoFactorMiddleware:
    """Roles in ``LENTERA_2FA_REQUIRED_ROLES``, and anyone who set up a device, must verify a TOTP code.

    Before verification only the verify and recovery pages (and log in/out) are open; the
    enrolment page is open only to a user who has no confirmed authenticator yet. API calls
    with a bearer token are not session logins; tokens for 2FA roles are issued only from a
    verified session (see ``accounts.tokens``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.shortcuts import redirect
        from django_otp import user_has_device

        user = getattr(request, "user", None)
        path = request.path
        if (
            user is not None
            and user.is_authenticated
            and path not in _2FA_OPEN_PATHS
            and not path.startswith(_2FA_OPEN_PREFIXES)
        ):
            verified = getattr(user, "is_verified", lambda: False)()
            if not verified:
                from lentera.web.accounts.twofactor import has_authenticator

                membership = user.membership_or_none
                required = (
                    membership is not None
                    and membership.role in settings.LENTERA_2FA_REQUIRED_ROLES
                )
                has_device = user_has_device(user, confirmed=True)
                enrolling = path == _2FA_SETUP_PATH and not has_authenticator(user)
                if (required or has_device) and not enrolling:
                    if path.startswith("/api/"):
                        from django.http import JsonResponse

                        return JsonResponse(
                            {
                                "code": "2fa_required",
                                "message": "two-factor verification required",
                                "field": None,
                            },
                            status=403,
                        )
                    target = "accounts:2fa_verify" if has_device else "accounts:2fa_setup"
                    return redirect(f"{reverse_lazy(target)}?next={request.get_full_path()}")
            if getattr(user, "must_change_password", False) and path != _PASSWORD_PATH:
                # a password an admin chose is changed before anything else
                if path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse(
                        {"code": "password_change_required", "message": "change your password",
                         "field": None},
                        status=403,
                    )  # fmt: skip
                return redirect(_PASSWORD_PATH)
        return self.get_response(request)


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
