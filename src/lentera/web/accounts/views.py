"""Log in and out, with every attempt audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from lentera.web.accounts.login_form import LoginForm
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_log(
            actor=form.get_user(),
            action=AuditAction.LOGIN,
            object_type="accounts.user",
            object_id=form.get_user().pk,
        )
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # The username tried is not stored: it may be a mistyped password or a survivor's name.
        audit_log(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user")
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_log(
                actor=request.user,
                action=AuditAction.LOGOUT,
                object_type="accounts.user",
                object_id=request.user.pk,
            )
        return super().post(request, *args, **kwargs)


# --------------------------------------------------------------------------- two-factor authentication

import base64  # noqa: E402
from io import BytesIO  # noqa: E402

from django.contrib import messages  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.shortcuts import redirect, render  # noqa: E402
from django.utils.http import url_has_allowed_host_and_scheme  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django_otp import login as otp_login  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return (
        target
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        else "/"
    )


def _qr_data_uri(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


@login_required
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show a QR code, confirm with one code."""
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    error = ""
    if request.method == "POST":
        token = (request.POST.get("token") or "").replace(" ", "")
        if device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            audit_log(
                actor=request.user,
                action=AuditAction.UPDATE,
                object_type="accounts.user",
                object_id=request.user.pk,
                detail={"2fa": "enrolled"},
            )
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_next_url(request))
        error = _("That code is not right. Check the time on your phone and try the newest code.")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/2fa_setup.html",
        {
            "qr": _qr_data_uri(device.config_url),
            "secret": secret,
            "error": error,
            "next": _next_url(request),
        },
    )


@login_required
def twofactor_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code from the authenticator app."""
    error = ""
    if request.method == "POST":
        token = (request.POST.get("token") or "").replace(" ", "")
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                audit_log(
                    actor=request.user,
                    action=AuditAction.LOGIN,
                    object_type="accounts.user",
                    object_id=request.user.pk,
                    detail={"2fa": "verified"},
                )
                return redirect(_next_url(request))
        audit_log(
            actor=request.user,
            action=AuditAction.LOGIN_FAILED,
            object_type="accounts.user",
            object_id=request.user.pk,
            detail={"2fa": "wrong_code"},
        )
        error = _("That code is not right.")
    return render(request, "accounts/2fa_verify.html", {"error": error, "next": _next_url(request)})


# --------------------------------------------------------------------------- user management (org admins)

from django import forms  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402

from lentera.errors import LenteraError  # noqa: E402
from lentera.web.accounts import services as account_services  # noqa: E402
from lentera.web.accounts.models import Membership, Role, User  # noqa: E402
from lentera.web.core.access import membership_for  # noqa: E402


def _require_admin(request: HttpRequest) -> Membership:
    membership = membership_for(request.user)
    if membership.role != Role.ORG_ADMIN:
        raise PermissionDenied
    return membership


class NewUserForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        help_text=_("At least 10 characters; the user should change it."),
    )


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    membership = _require_admin(request)
    members = (
        Membership.objects.filter(organisation=membership.organisation)
        .select_related("user")
        .order_by("user__username")
    )
    return render(request, "accounts/user_list.html", {"members": members})


@login_required
def user_create_view(request: HttpRequest) -> HttpResponse:
    membership = _require_admin(request)
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.user_create(
                actor=request.user, organisation=membership.organisation, **form.cleaned_data
            )
            messages.success(request, _("User created."))
            return redirect("accounts:users")
        except LenteraError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(request, "cases/form.html", {"form": form, "title": _("New user")})


@login_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    membership = _require_admin(request)
    target = (
        Membership.objects.filter(organisation=membership.organisation, user_id=user_id)
        .select_related("user")
        .first()
    )
    if target is None:
        raise LenteraError("not_found", _("User not found."), kind="not_found")
    if request.method == "POST":
        try:
            account_services.user_update(
                actor=request.user,
                user=target.user,
                role=request.POST.get("role") or None,
                is_active={"1": True, "0": False}.get(request.POST.get("is_active", "")),
                reset_2fa=request.POST.get("reset_2fa") == "1",
            )
            messages.success(request, _("User saved."))
        except LenteraError as exc:
            messages.error(request, exc.message)
        return redirect("accounts:users")
    return render(request, "accounts/user_edit.html", {"target": target, "roles": Role.choices})


__all__ = ["User"]
