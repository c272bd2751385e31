"""Reads of the report builder, scoped to the actor's organisation (report roles only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lentera.reports import parse_period, shipped_templates
from lentera.web.accounts.models import User
from lentera.web.core.i18n import current_lang, pick
from lentera.web.core.selectors import one_of_organisation
from lentera.web.jobs.models import ACTIVE, Job
from lentera.web.reporting.models import GeneratedReport, ReportTemplate
from lentera.web.reporting.services import CUSTOM, require_report_role


def reports_list_for_user(*, actor: User) -> QuerySet[GeneratedReport]:
    membership = require_report_role(actor)
    return GeneratedReport.objects.filter(
        organisation_id=membership.organisation_id
    ).select_related("created_by")


def report_get_for_user(*, actor: User, report_id: int) -> GeneratedReport:
    membership = require_report_role(actor)
    return one_of_organisation(
        GeneratedReport.objects.select_related("organisation"),
        report_id,
        membership.organisation_id,
        _("Report not found."),
    )


def custom_templates_for_user(*, actor: User) -> QuerySet[ReportTemplate]:
    membership = require_report_role(actor)
    return ReportTemplate.objects.filter(organisation_id=membership.organisation_id)


def template_choices_for_user(*, actor: User) -> list[tuple[str, str]]:
    """Shipped templates first (donor, government, the custom example), then the organisation's."""
    lang = current_lang()
    order = {"donor": 0, "government": 1}
    shipped = sorted(shipped_templates().values(), key=lambda t: (order.get(t.id, 9), t.id))
    out = [(t.id, pick(t.title, "", lang=lang)) for t in shipped]
    out += [
        (f"{CUSTOM}{t.pk}", f"{t.title} ({t.template_id})")
        for t in custom_templates_for_user(actor=actor)
    ]
    return out


def period_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The last eight quarters, twelve months and three years (most recent first)."""
    today = today or timezone.localdate()
    lang = current_lang()
    quarters, months = [], []
    q_year, q = today.year, (today.month - 1) // 3 + 1
    for _i in range(8):
        code = f"{q_year}-Q{q}"
        quarters.append((code, parse_period(code).label(lang)))
        q_year, q = (q_year - 1, 4) if q == 1 else (q_year, q - 1)
    y, m = today.year, today.month
    for _i in range(12):
        code = f"{y}-{m:02d}"
        months.append((code, parse_period(code).label(lang)))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    years = [(str(today.year - i), str(today.year - i)) for i in range(3)]
    return [*quarters, *months, *years]


def active_builds_for_user(*, actor: User) -> list[Any]:
    membership = require_report_role(actor)
    return list(
        Job.objects.filter(
            organisation_id=membership.organisation_id, kind="report_build", status__in=ACTIVE
        ).order_by("-id")[:10]
    )
