"""Log in and out, with every attempt audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_log(actor=form.get_user(), action=AuditAction.LOGIN, object_type="accounts.user", object_id=form.get_user().pk)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # The username tried is not stored: it may be a mistyped password or a survivor's name.
        audit_log(actor=None, action=AuditAction.LOGIN_FAILED, object_type="accounts.user")
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_log(actor=request.user, action=AuditAction.LOGOUT, object_type="accounts.user", object_id=request.user.pk)
        return super().post(request, *args, **kwargs)
