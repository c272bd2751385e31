"""Analytics pages: the organisation dashboard (charts, province map beside BPS poverty,
statistics) and the evidence report. Everything shown is suppressed by the engine."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lentera.errors import LenteraError
from lentera.web.core.access import membership_for
from lentera.web.core.i18n import current_lang
from lentera.web.core.responses import download
from lentera.web.insights import selectors, services
from lentera.web.insights.forms import FilterForm
from lentera.web.insights.guard import check_filters
from lentera.web.jobs.services import enqueue
from lentera.web.jobs.views import job_context


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    page = services.dashboard_for_user(actor=request.user, query=request.GET)
    for field, message in page.errors:
        form.add_error(field if field in form.fields else None, message)
    if page.building_job is not None:
        return render(request, "insights/building.html", job_context(page.building_job))
    context = {
        **page.context,
        "form": form,
        # SVG built by the engine from escaped labels
        "trend": mark_safe(page.context["trend"]),  # noqa: S308
        "charts": [mark_safe(c) for c in page.context["charts"]],  # noqa: S308
        "survivor_map": mark_safe(page.context["survivor_map"]),  # noqa: S308
        "poverty_map": mark_safe(page.context["poverty_map"]),  # noqa: S308
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/dashboard.html", context)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    enqueue("warehouse_rebuild", actor=request.user)
    messages.success(
        request,
        _("The figures are being rebuilt from the current case records in the background."),
    )
    return redirect("insights:dashboard")


@login_required
@require_GET
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in {"html", "pdf"}:
        raise LenteraError("not_found", _("Not found."), kind="not_found")
    membership = membership_for(request.user)
    lang = request.GET.get("lang") or current_lang()
    lang = lang if lang in ("id", "en") else "id"
    try:
        filters = services.parse_filters(request.GET)
    except LenteraError:
        filters = {}
    state = services.current_warehouse(actor=request.user)
    if state.path is None:
        raise LenteraError(
            "warehouse_building",
            _("The figures are still being built. Please try again in a minute."),
            kind="unavailable",
        )
    if filters and not check_filters(state.path, filters).allowed:
        raise LenteraError("filters_too_narrow", str(services.TOO_NARROW), kind="forbidden")
    # the PDF draws every chart: about 1 s at any size (docs/benchmarks.md), so the worker
    # writes it; the HTML (figures from the warehouse, ~0.4 s flat) only above the threshold
    if fmt == "pdf" or selectors.report_is_large(membership.organisation_id):
        raw = {k: request.GET.get(k, "") for k in services.FILTER_KEYS if request.GET.get(k)}
        job = enqueue(
            "evidence_report",
            actor=request.user,
            params={"format": fmt, "lang": lang, "filters": raw},
        )
        return redirect("jobs:detail", job_id=job.pk)
    content, name, ctype = services.evidence_report(
        actor=request.user, path=state.path, fmt=fmt, lang=lang, filters=filters
    )
    return download(content, name, ctype)
