"""The organisation's analytics warehouse: where it lives, (re)building it, reading it.

One DuckDB file per organisation under ``$LENTERA_DATA_DIR/analytics/``, built
from the de-identified snapshot of that organisation only. Every number the web
layer shows comes from :func:`lentera.analytics.dashboard` and the other
suppressed outputs of the engine (counts 1–4 shown as "<5").
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from lentera.errors import LenteraError
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.core.access import membership_for

#: a view of an older warehouse queues a rebuild (the worker also rebuilds it nightly)
MAX_AGE = dt.timedelta(hours=24)


def warehouse_path(org_code: str) -> Path:
    return Path(settings.DATA_DIR) / "analytics" / f"{org_code}.duckdb"


def built_at(path: Path) -> dt.datetime | None:
    if not path.exists():
        return None
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)


def rebuild(*, actor: Any, organisation: Any = None) -> Path:
    """Export the organisation's snapshot and build its warehouse (atomic replace).

    Runs in the worker (job ``warehouse_rebuild``); ``actor`` is who asked (None for the
    nightly build, then ``organisation`` says whose warehouse).
    """
    from lentera.analytics import build_warehouse
    from lentera.web.insights.snapshot import export_snapshot

    if organisation is None:
        organisation = membership_for(actor).organisation
    code = organisation.code
    snapshot = export_snapshot(organisation_codes=[code])
    path = warehouse_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    build_warehouse(snapshot, path)
    audit_log(
        actor=actor,
        action=AuditAction.EXPORT,
        organisation=organisation,
        object_type="insights.warehouse",
        object_id=code,
        detail={
            "kind": "analytics_snapshot",
            "rows": {k: len(v) for k, v in snapshot.tables.items()},
        },
    )
    return path


@dataclass(frozen=True)
class WarehouseState:
    """The organisation's warehouse as a page sees it: never built in the request."""

    path: Path | None  # None: not built yet
    built_at: dt.datetime | None
    job: Any  # the queued or running rebuild, if any


def current_warehouse(*, actor: Any) -> WarehouseState:
    """The organisation's warehouse as it is; a rebuild is queued (never run here) when it
    is missing or older than :data:`MAX_AGE`."""
    from lentera.web.jobs.models import ACTIVE, Job
    from lentera.web.jobs.services import enqueue

    membership = membership_for(actor)
    path = warehouse_path(membership.organisation.code)
    when = built_at(path)
    job = (
        Job.objects.filter(
            organisation_id=membership.organisation_id,
            kind="warehouse_rebuild",
            status__in=ACTIVE,
        )
        .order_by("-id")
        .first()
    )
    if job is None and (when is None or timezone.now() - when > MAX_AGE):
        job = enqueue("warehouse_rebuild", actor=actor)
    return WarehouseState(path=path if when is not None else None, built_at=when, job=job)


#: an evidence report for more survivors than this is written by the worker, not the request
REPORT_INLINE_MAX = int(os.environ.get("LENTERA_REPORT_INLINE_MAX", "5000"))
FILTER_KEYS = ("period_from", "period_to", "province", "exploitation_type", "sex", "age_band")


def report_is_large(organisation_id: int) -> bool:
    from lentera.web.cases.models import CaseSurvivor

    return (
        CaseSurvivor.objects.filter(case__organisation_id=organisation_id)[
            : REPORT_INLINE_MAX + 1
        ].count()
        > REPORT_INLINE_MAX
    )


def evidence_report(
    *,
    actor: Any,
    path: Path,
    fmt: str,
    lang: str,
    filters: dict[str, Any],
    organisation: Any = None,
) -> tuple[bytes, str, str]:
    """The evidence report (PDF or HTML) from the warehouse at ``path``; audited as an export."""
    from lentera.analytics.report import build_report, render_html, render_pdf

    organisation = organisation or membership_for(actor).organisation
    rep = build_report(path, lang=lang, filters=filters)
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
    from lentera import reference
    from lentera.analytics.snapshot import AGE_BANDS, codes

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
