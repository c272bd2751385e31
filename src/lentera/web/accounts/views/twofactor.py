"""Second-factor pages: enrol or replace an authenticator app, verify a code, log in with a
recovery code, renew the recovery codes. The rules and every write are in
:mod:`lentera.web.accounts.twofactor`; these views keep the session (``otp_login``)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from lentera.errors import LenteraError
from lentera.web.accounts import twofactor


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return (
        target
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        else "/"
    )


def _checked(
    request: HttpRequest, check: Callable[[], Any], *, reraise: tuple[str, ...] = ()
) -> tuple[Any, str]:
    """On a POST, the service ``check`` of what the user typed (a code, a password): its result,
    or None and the message the form shows when it refuses (a kind in ``reraise`` goes on to its
    error page). Nothing is checked on a GET."""
    if request.method != "POST":
        return None, ""
    try:
        return check(), ""
    except LenteraError as exc:
        if exc.kind in reraise:
            raise
        return None, exc.message


def _qr_data_uri(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = BytesIO()
    img.save(buf)  # structure: allow an SVG image written to memory, not a model
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


@login_required
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show a QR code, confirm with one code.

    A user who already has a confirmed authenticator may only *replace* it from a session
    verified with a second factor, and must type their password as well.
    """
    replacing = twofactor.has_authenticator(request.user)
    if replacing and not request.user.is_verified():
        return redirect(f"{reverse('accounts:2fa_verify')}?next={reverse('accounts:2fa_setup')}")
    device = twofactor.totp_device_for_enrolment(user=request.user)

    def enrol() -> list[str]:
        if replacing:
            twofactor.password_confirm(
                actor=request.user, password=request.POST.get("password") or ""
            )
        return twofactor.totp_enrol(
            actor=request.user,
            device=device,
            token=request.POST.get("token") or "",
            replacing=replacing,
        )

    codes, error = _checked(request, enrol)
    if codes is not None:
        otp_login(request, device)
        messages.success(request, _("Two-factor authentication is on."))
        return render(
            request,
            "accounts/2fa_recovery_codes.html",
            {"codes": codes, "next": _next_url(request)},
        )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/2fa_setup.html",
        {
            "qr": _qr_data_uri(device.config_url),
            "secret": secret,
            "error": error,
            "replacing": replacing,
            "next": _next_url(request),
        },
    )


@login_required
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code from the authenticator app."""
    device, error = _checked(
        request,
        lambda: twofactor.totp_verify(actor=request.user, token=request.POST.get("token") or ""),
    )
    if device is not None:
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "accounts/2fa_verify.html", {"error": error, "next": _next_url(request)})


@login_required
def twofactor_recover(request: HttpRequest) -> HttpResponse:
    """Log in with a one-time recovery code when the phone is lost."""
    device, error = _checked(
        request,
        lambda: twofactor.recovery_code_use(
            actor=request.user, code=request.POST.get("code") or ""
        ),
    )
    if device is not None:
        otp_login(request, device)
        messages.warning(
            request,
            _("You used a recovery code (%(left)s left). Set up your authenticator app again now.")
            % {"left": twofactor.recovery_codes_left(request.user)},
        )
        return redirect("accounts:2fa_setup")
    return render(request, "accounts/2fa_recover.html", {"error": error})


@login_required
def twofactor_manage(request: HttpRequest) -> HttpResponse:
    """Second-factor status; new recovery codes (verified session and password)."""
    codes, error = _checked(
        request,
        lambda: twofactor.recovery_codes_renew(
            actor=request.user,
            password=request.POST.get("password") or "",
            verified_session=request.user.is_verified(),
        ),
        reraise=("forbidden",),
    )
    if codes is not None:
        return render(request, "accounts/2fa_recovery_codes.html", {"codes": codes, "next": "/"})
    return render(
        request,
        "accounts/2fa_manage.html",
        {
            "has_authenticator": twofactor.has_authenticator(request.user),
            "codes_left": twofactor.recovery_codes_left(request.user),
            "verified": request.user.is_verified(),
            "error": error,
        },
    )
