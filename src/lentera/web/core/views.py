"""Home page per role, health check and error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lentera.web.cases import selectors
from lentera.web.core.access import membership_for
from lentera.web.core.home_panels import panels_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_for(request.user)
    context: dict[str, Any] = {"role": membership.role, "panels": panels_for(request.user)}
    if membership.can_edit_cases:
        context["stats"] = selectors.case_stats_for_user(actor=request.user)
        context["recent_cases"] = selectors.case_recent_for_user(actor=request.user, limit=5)
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def ping(request: HttpRequest) -> HttpResponse:
    """A trivial view: the baseline the benchmarks compare real pages with."""
    return HttpResponse("pong", content_type="text/plain")


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """Someone is typing in a form: the session stays alive (SessionIdleMiddleware saw them)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session.modified = True  # saved now: the sliding expiry moves ahead
    return HttpResponse(status=204)


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("The request could not be understood."))


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("You do not have access to this page."))


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("This page does not exist, or you do not have access to it."))


def error_500(request: HttpRequest) -> HttpResponse:
    # A lock raised outside a view (the session save, the login throttle) lands here.
    from lentera.web.core.busy import busy_response, lock_error_in_flight

    if lock_error_in_flight():
        return busy_response(request)
    return _error(request, 500, _("Something went wrong on our side. The error has been logged."))
