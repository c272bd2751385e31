"""The second-factor gate: a session that must verify a code (or change an admin-chosen
password) reaches only the pages that let it do so. Moved here from ``core.middleware``: it
applies the accounts app's 2FA rule, and core sits below accounts."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy

from lentera.web.accounts.devices import session_has_confirmed_device
from lentera.web.accounts.twofactor import has_authenticator

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
                membership = user.membership_or_none
                required = (
                    membership is not None
                    and membership.role in settings.LENTERA_2FA_REQUIRED_ROLES
                )
                has_device = session_has_confirmed_device(request, user)
                enrolling = path == _2FA_SETUP_PATH and not has_authenticator(user)
                if (required or has_device) and not enrolling:
                    if path.startswith("/api/"):
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
                    return JsonResponse(
                        {"code": "password_change_required", "message": "change your password",
                         "field": None},
                        status=403,
                    )  # fmt: skip
                return redirect(_PASSWORD_PATH)
        return self.get_response(request)
