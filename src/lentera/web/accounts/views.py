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
        from lentera.web.accounts.lockout import purge_login_records

        purge_login_records()
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
from django.urls import reverse  # noqa: E402
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


def _notify_and_audit(request: HttpRequest, event: str) -> None:
    from lentera.web.accounts.twofactor import notify_security_event

    audit_log(
        actor=request.user,
        action=AuditAction.UPDATE,
        object_type="accounts.user",
        object_id=request.user.pk,
        detail={"2fa": event},
    )
    notify_security_event(user=request.user, event=event)


def _password_ok(request: HttpRequest) -> bool:
    ok = request.user.check_password(request.POST.get("password") or "")
    if not ok:
        audit_log(
            actor=request.user,
            action=AuditAction.LOGIN_FAILED,
            object_type="accounts.user",
            object_id=request.user.pk,
            detail={"2fa": "wrong_password"},
        )
    return ok


@login_required
def twofactor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show a QR code, confirm with one code.

    A user who already has a confirmed authenticator may only *replace* it from a session
    verified with a second factor, and must type their password as well.
    """
    from lentera.web.accounts.twofactor import has_authenticator, recovery_codes_issue

    replacing = has_authenticator(request.user)
    if replacing and not request.user.is_verified():
        return redirect(f"{reverse('accounts:2fa_verify')}?next={reverse('accounts:2fa_setup')}")
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    error = ""
    if request.method == "POST":
        token = (request.POST.get("token") or "").replace(" ", "")
        if replacing and not _password_ok(request):
            error = _("Your password is not right.")
        elif device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            codes = recovery_codes_issue(user=request.user)
            otp_login(request, device)
            _notify_and_audit(request, "replaced" if replacing else "enrolled")
            messages.success(request, _("Two-factor authentication is on."))
            return render(
                request,
                "accounts/2fa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        else:
            error = _(
                "That code is not right. Check the time on your phone and try the newest code."
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


@login_required
def twofactor_recover(request: HttpRequest) -> HttpResponse:
    """Log in with a one-time recovery code when the phone is lost."""
    from lentera.web.accounts.models import RecoveryCodeDevice
    from lentera.web.accounts.twofactor import recovery_codes_left

    error = ""
    if request.method == "POST":
        device = RecoveryCodeDevice.objects.filter(user=request.user, confirmed=True).first()
        if device is not None and device.verify_token(request.POST.get("code") or ""):
            otp_login(request, device)
            _notify_and_audit(request, "recovery_used")
            messages.warning(
                request,
                _(
                    "You used a recovery code (%(left)s left). Set up your authenticator app "
                    "again now."
                )
                % {"left": recovery_codes_left(request.user)},
            )
            return redirect("accounts:2fa_setup")
        audit_log(
            actor=request.user,
            action=AuditAction.LOGIN_FAILED,
            object_type="accounts.user",
            object_id=request.user.pk,
            detail={"2fa": "wrong_recovery_code"},
        )
        error = _("That recovery code is not right or was used already.")
    return render(request, "accounts/2fa_recover.html", {"error": error})


@login_required
def twofactor_manage(request: HttpRequest) -> HttpResponse:
    """Second-factor status; new recovery codes (verified session and password)."""
    from lentera.web.accounts.twofactor import (
        has_authenticator,
        recovery_codes_issue,
        recovery_codes_left,
    )

    error = ""
    if request.method == "POST":
        if not request.user.is_verified():
            raise PermissionDenied
        if _password_ok(request):
            codes = recovery_codes_issue(user=request.user)
            _notify_and_audit(request, "recovery_renewed")
            return render(
                request, "accounts/2fa_recovery_codes.html", {"codes": codes, "next": "/"}
            )
        error = _("Your password is not right.")
    return render(
        request,
        "accounts/2fa_manage.html",
        {
            "has_authenticator": has_authenticator(request.user),
            "codes_left": recovery_codes_left(request.user),
            "verified": request.user.is_verified(),
            "error": error,
        },
    )


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
    if request.method == "POST" and request.POST.get("action") == "assigned_only":
        org = membership.organisation
        org.caseworkers_assigned_only = request.POST.get("assigned_only") == "1"
        org.save(update_fields=["caseworkers_assigned_only"])
        audit_log(
            actor=request.user, action=AuditAction.UPDATE, obj=org,
            detail={"caseworkers_assigned_only": org.caseworkers_assigned_only},
        )  # fmt: skip
        messages.success(request, _("Saved."))
        return redirect("accounts:users")
    members = (
        Membership.objects.filter(organisation=membership.organisation)
        .select_related("user")
        .order_by("user__username")
    )
    return render(
        request,
        "accounts/user_list.html",
        {"members": members, "organisation": membership.organisation},
    )


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
                new_password=request.POST.get("new_password", ""),
            )
            messages.success(request, _("User saved."))
        except LenteraError as exc:
            messages.error(request, exc.message)
        return redirect("accounts:users")
    return render(request, "accounts/user_edit.html", {"target": target, "roles": Role.choices})


__all__ = ["User"]


# --------------------------------------------------------------------------- own API tokens


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name (what it is for)"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)
    read_only = forms.BooleanField(label=_("Read only (can only fetch data)"), required=False)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create (shown once), see when each was used, revoke."""
    from lentera.web.accounts.models import ApiToken

    form = TokenForm(request.POST or None)
    raw = ""
    if request.method == "POST" and form.is_valid():
        try:
            raw = account_services.api_token_issue(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                read_only=form.cleaned_data["read_only"],
                verified_session=request.user.is_verified(),
            )
        except LenteraError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": raw}
    )


@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    from lentera.web.accounts.models import ApiToken

    if request.method != "POST":
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["POST"])
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise LenteraError("not_found", _("Token not found."), kind="not_found")
    account_services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; every other session of the user ends (Django's session
    hash), and a password an admin chose must be changed here before anything else."""

    template_name = "cases/form.html"
    success_url = "/"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("Change password")}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        User.objects.filter(pk=self.request.user.pk).update(must_change_password=False)
        audit_log(
            actor=self.request.user,
            action=AuditAction.UPDATE,
            object_type="accounts.user",
            object_id=self.request.user.pk,
            detail={"password": "changed"},
        )
        messages.success(self.request, _("Your password was changed."))
        return response
