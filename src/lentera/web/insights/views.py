"""Analytics pages: the organisation dashboard (charts, province map beside BPS poverty,
statistics) and the evidence report. Everything shown is suppressed by the engine."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import membership_for
from lentera.web.insights import services
from lentera.web.insights.forms import FilterForm


def _lang() -> str:
    return "en" if (get_language() or "id").startswith("en") else "id"


def _provider_names(organisation_id: int) -> dict[str, str]:
    from lentera.web.insights.snapshot import _key
    from lentera.web.referrals.models import ServiceProvider

    return {
        _key("provider", p.pk): p.name
        for p in ServiceProvider.objects.filter(organisation_id=organisation_id)
    }


CHARTS = (
    # key, dimension, title
    ("survivors_by_province", "origin_province", gettext_lazy("Survivors by province of origin")),
    (
        "survivors_by_destination",
        "destination_country",
        gettext_lazy("Survivors by destination country"),
    ),
    (
        "survivors_by_exploitation",
        "exploitation_type",
        gettext_lazy("Survivors by type of exploitation"),
    ),
    ("survivors_by_sector", "sector", gettext_lazy("Survivors by sector")),
    (
        "survivors_by_recruitment",
        "recruitment_method",
        gettext_lazy("Survivors by recruitment method"),
    ),
    ("survivors_by_means", "means_of_control", gettext_lazy("Survivors by means of control")),
    ("survivors_by_age_band", "age_band", gettext_lazy("Survivors by age band")),
    ("survivors_by_sex", "sex", gettext_lazy("Survivors by sex")),
    (
        "screening_outcomes",
        "screening_outcome",
        gettext_lazy("Screening outcomes (latest per survivor)"),
    ),
)


def _charts(data: dict[str, Any], lang: str) -> list[str]:
    from lentera.analytics.charts import bar_chart
    from lentera.analytics.report import label

    out = []
    for i, (key, dim, title) in enumerate(CHARTS):
        frame = data.get(key)
        if frame is None or not len(frame):
            continue
        items = [(label(dim, k, lang), v) for k, v in zip(frame[dim], frame["value"], strict=True)]
        items.sort(key=lambda kv: -(kv[1] if isinstance(kv[1], int | float) else 2.5))
        out.append(bar_chart(items[:12], title=str(title), desc=str(title), lang=lang, uid=f"c{i}"))
    return out


def _value(data: dict[str, Any], key: str) -> Any:
    frame = data.get(key)
    return frame["value"].iloc[0] if frame is not None and len(frame) else 0


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    from lentera.analytics import dashboard as engine_dashboard
    from lentera.analytics.charts import line_chart
    from lentera.analytics.maps import poverty_map, survivor_map
    from lentera.analytics.stats import organisation_association

    membership = membership_for(request.user)
    form = FilterForm(request.GET or None)
    lang = _lang()
    try:
        filters = services.parse_filters(request.GET)
    except LenteraError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, _("Invalid filter value."))
        filters = {}
    state = services.current_warehouse(actor=request.user)
    if state.path is None:  # never built: the worker is building it; the page says so
        from lentera.web.jobs.views import job_context

        return render(request, "insights/building.html", job_context(state.job))
    path = state.path
    data = engine_dashboard(path, filters)
    month = data.get("survivors_by_month")
    trend = (
        line_chart(
            list(zip(month["month"], month["value"], strict=True)),
            title=_("Survivors recorded per month"),
            desc=_("Survivors recorded per month"),
            lang=lang,
            uid="trend",
        )
        if month is not None and len(month)
        else ""
    )
    names = _provider_names(membership.organisation_id)
    providers = []
    acc = data.get("acceptance_by_provider")
    if acc is not None:
        for key, value in zip(acc["provider_key"], acc["value"], strict=True):
            providers.append((names.get(str(key), _("(provider removed)")), value))
    association = organisation_association(path, filters)
    audit_log(
        actor=request.user, action=AuditAction.READ, object_type="insights.dashboard",
        object_id=membership.organisation.code, detail={"filters": sorted(filters)},
    )  # fmt: skip
    legal = data.get("legal_outcomes")
    context = {
        "form": form,
        "built_at": state.built_at,
        "rebuild_job": state.job,
        "kpis": [
            (_("Cases"), _value(data, "total_cases")),
            (_("Survivors"), _value(data, "total_survivors")),
            (_("Open referrals"), _value(data, "referrals_open")),
            (_("Overdue referrals"), _value(data, "referrals_overdue")),
            (_("Survivors with a legal gap (Palermo vs national law)"), _value(data, "legal_gaps")),
            (_("Median days from referral to acceptance"), _value(data, "median_days_to_accept")),
        ],
        "trend": mark_safe(trend),  # noqa: S308 - SVG built by the engine from escaped labels
        "charts": [mark_safe(c) for c in _charts(data, lang)],  # noqa: S308
        "survivor_map": mark_safe(survivor_map(path, filters, lang=lang)),  # noqa: S308
        "poverty_map": mark_safe(poverty_map(lang=lang)),  # noqa: S308
        "legal": legal.to_dict("records") if legal is not None else [],
        "providers": providers,
        "association": association,
        "association_message": association.message.get(lang, ""),
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/dashboard.html", context)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    from lentera.web.jobs.services import enqueue

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
    lang = request.GET.get("lang") or _lang()
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
    if services.report_is_large(membership.organisation_id):
        from lentera.web.jobs.services import enqueue

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
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
