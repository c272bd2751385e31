"""Log in and out, and change one's own password, with every attempt audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from lentera.web.accounts import services as account_services
from lentera.web.accounts.lockout import purge_login_records
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
        # In the organisation's log when the name tried is an account's (never the name itself).
        account_services.login_failed(username=str(form.data.get("username", "")))
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


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; every other session of the user ends (Django's session
    hash), and a password an admin chose must be changed here before anything else."""

    template_name = "cases/form.html"
    success_url = "/"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "title": _("Change password")}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        account_services.password_changed(actor=self.request.user)
        messages.success(self.request, _("Your password was changed."))
        return response
