"""The organisation's analytics warehouse: where it lives, (re)building it, reading it.

One DuckDB file per organisation under ``$LENTERA_DATA_DIR/analytics/``, built
from the de-identified snapshot of that organisation only. Every number the web
layer shows comes from :func:`lentera.analytics.dashboard` and the other
suppressed outputs of the engine (counts 1–4 shown as "<5").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lentera import reference
from lentera.analytics import build_warehouse
from lentera.analytics import dashboard as engine_dashboard
from lentera.analytics.charts import bar_chart, line_chart
from lentera.analytics.maps import poverty_map, survivor_map
from lentera.analytics.outcomes import reintegration_outcomes
from lentera.analytics.report import TEXT, build_report, label, render_html, render_pdf
from lentera.analytics.snapshot import AGE_BANDS, codes
from lentera.analytics.stats import organisation_association
from lentera.analytics.warehouse_incremental import BuildPlan, plan_build, update_warehouse
from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import membership_for
from lentera.web.core.i18n import current_lang
from lentera.web.core.warehouse import warehouse_path
from lentera.web.insights import selectors
from lentera.web.insights.changes import source_state
from lentera.web.insights.guard import check_filters
from lentera.web.insights.snapshot import export_snapshot
from lentera.web.jobs.warehouse import current_warehouse

if TYPE_CHECKING:
    from lentera.web.accounts.models import User


@dataclass(frozen=True)
class Rebuilt:
    """A finished warehouse build: where, which path ran (``mode`` "incremental" or "full",
    with the ``reason`` of a full one, :data:`FULL_REASONS`), the units it exported again
    (``changed``; every unit for a full build) and removed."""

    path: Path
    mode: str
    reason: str
    changed: int
    removed: int

    def summary(self) -> dict[str, Any]:
        return {"mode": self.mode, "reason": self.reason, "changed": self.changed,
                "removed": self.removed}  # fmt: skip


def rebuild(*, actor: User | None, organisation: Any = None, full: bool = False) -> Rebuilt:
    """Bring the organisation's warehouse up to date with its case store.

    Incremental when it can be (:func:`lentera.analytics.warehouse_incremental.plan_build`):
    only the units changed since the last build are exported and replaced; otherwise (no
    warehouse yet or dropped, another engine or reference-data version, another pseudonym key,
    more than a fifth of the units changed, or ``full``) the whole snapshot is exported and the
    file rebuilt. Either way the new file replaces the old one atomically.

    Runs in the worker (job ``warehouse_rebuild``); ``actor`` is who asked (None for the
    nightly build, then ``organisation`` says whose warehouse).
    """
    if organisation is None:
        organisation = membership_for(actor).organisation
    code = organisation.code
    path = warehouse_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    state, pks = source_state(organisation)
    plan = BuildPlan(mode="full", reason="forced") if full else plan_build(path, state)
    if plan.incremental:
        only = {kind: [pks[kind][key] for key in keys] for kind, keys in plan.changed.items()}
        snapshot = export_snapshot(organisation_codes=[code], only=only)
        update_warehouse(path, snapshot, plan, state)
        changed, removed = plan.count()
    else:
        snapshot = export_snapshot(organisation_codes=[code])
        build_warehouse(snapshot, path, state=state, reason=plan.reason)
        changed, removed = state.count(), 0
    done = Rebuilt(path, plan.mode, plan.reason, changed, removed)
    audit_log(
        actor=actor,
        action=AuditAction.EXPORT,
        organisation=organisation,
        object_type="insights.warehouse",
        object_id=code,
        detail={
            "kind": "analytics_snapshot",
            **done.summary(),
            "rows": {k: len(v) for k, v in snapshot.tables.items()},
        },
    )
    return done


FILTER_KEYS = ("period_from", "period_to", "province", "exploitation_type", "sex", "age_band")


def evidence_report(
    *,
    actor: User,
    path: Path,
    fmt: str,
    lang: str,
    filters: dict[str, Any],
    organisation: Any = None,
) -> tuple[bytes, str, str]:
    """The evidence report (PDF or HTML) from the warehouse at ``path``; audited as an export.

    The report stays inside the organisation, so it names the organisation's own service
    providers (a de-identified export built without ``provider_names`` says "Penyedia A, B…")."""
    organisation = organisation or membership_for(actor).organisation
    names = selectors.provider_names(organisation_id=organisation.pk)
    rep = build_report(path, lang=lang, filters=filters, provider_names=names)
    audit_log(
        actor=actor, action=AuditAction.EXPORT, object_type="insights.report",
        organisation=organisation, object_id=organisation.code,
        detail={"format": fmt, "lang": lang},
    )  # fmt: skip
    name = f"laporan-bukti-{organisation.code}.{fmt}"
    if fmt == "pdf":
        return render_pdf(rep), name, "application/pdf"
    return render_html(rep).encode("utf-8"), name, "text/html; charset=utf-8"


def parse_filters(data: Any) -> dict[str, Any]:
    """Dashboard filters from a query string; unknown or malformed values raise a clear error."""
    out: dict[str, Any] = {}
    for key in ("period_from", "period_to"):
        value = (data.get(key) or "").strip()
        if value:
            try:
                out[key] = dt.date.fromisoformat(value + "-01" if len(value) == 7 else value)
            except ValueError as exc:
                raise LenteraError("bad_month", "YYYY-MM", field=key) from exc
    checks = {
        "province": set(reference.provinces()),
        "exploitation_type": set(codes()["exploitation_type"]),
        "sex": set(codes()["sex"]),
        "age_band": set(AGE_BANDS),
    }
    for key, allowed in checks.items():
        value = (data.get(key) or "").strip()
        if value:
            if value not in allowed:
                raise LenteraError("bad_filter", value, field=key)
            out[key] = [value]
    return out


# --------------------------------------------------------------------------- the dashboard

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

TOO_NARROW = gettext_lazy(
    "These filters select too few survivors, or differ from a wider selection by too few, "
    "to show figures without singling someone out. Showing the whole organisation; widen "
    "the filters."
)


def _charts(data: dict[str, Any], lang: str) -> list[str]:
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


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard page shows: either a rebuild to wait for (``building_job``) or the
    figures (``context``; SVG strings built by the engine from escaped labels), plus form
    errors as ``(field, message)`` pairs."""

    building_job: Any = None
    errors: list[tuple[str | None, str]] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)


def dashboard_for_user(*, actor: User, query: Mapping[str, Any]) -> Dashboard:
    """The organisation dashboard for the filters in ``query`` (audited as a read).

    Malformed filters are dropped with an error; filters the differencing guard refuses are
    dropped with an error and an audited denial; a warehouse never built yet gives the
    queued rebuild instead of figures.
    """
    membership = membership_for(actor)
    lang = current_lang()
    errors: list[tuple[str | None, str]] = []
    try:
        filters = parse_filters(query)
    except LenteraError as exc:
        errors.append((exc.field, _("Invalid filter value.")))
        filters = {}
    state = current_warehouse(actor=actor)
    if state.path is None:  # never built: the worker is building it; the page says so
        return Dashboard(building_job=state.job, errors=errors)
    path = state.path
    guard = check_filters(path, filters)
    if not guard.allowed:
        errors.append((None, str(TOO_NARROW)))
        audit_log(
            actor=actor, action=AuditAction.DENIED, object_type="insights.dashboard",
            detail={"filters": sorted(filters), "reason": guard.reason},
        )  # fmt: skip
        filters = {}
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
    names = selectors.provider_names(organisation_id=membership.organisation_id)
    providers = []
    acc = data.get("acceptance_by_provider")
    if acc is not None:
        for key, value in zip(acc["provider_key"], acc["value"], strict=True):
            providers.append((names.get(str(key), _("(provider removed)")), value))
    association = organisation_association(path, filters)
    audit_log(
        actor=actor, action=AuditAction.READ, object_type="insights.dashboard",
        object_id=membership.organisation.code, detail={"filters": sorted(filters)},
    )  # fmt: skip
    legal = data.get("legal_outcomes")
    context = {
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
        "trend": trend,
        "charts": _charts(data, lang),
        "survivor_map": survivor_map(path, filters, lang=lang),
        "poverty_map": poverty_map(lang=lang),
        "legal": legal.to_dict("records") if legal is not None else [],
        "providers": providers,
        "association": association,
        "association_message": association.message.get(lang, ""),
        "association_method": TEXT["method_line"].get(lang, association.method),
        # without the exploitation-type filter (plans carry none); the guard checked them all
        "outcomes": reintegration_outcomes(path, filters, lang=lang),
        "outcomes_exploitation_ignored": "exploitation_type" in filters,
    }
    return Dashboard(errors=errors, context=context)
