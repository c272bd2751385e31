"""The ``report_build`` background job (registered through the jobs app's public decorator)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lentera.web.jobs.services import JobContext, job_kind
from lentera.web.reporting import services


@job_kind("report_build", _("Build a report"))
def report_build(ctx: JobContext) -> dict[str, Any]:
    p = ctx.params
    steps = {"n": 0}

    def progress(_section: str) -> None:
        steps["n"] += 1
        ctx.progress(steps["n"], steps["n"] + 1)

    report = services.report_build(
        actor=ctx.actor,
        organisation=ctx.organisation,
        template=p["template"],
        period=p["period"],
        lang=p.get("lang") or "id",
        fmt=p["format"],
        job=ctx.job,
        progress=progress,
    )
    return {
        "report": report.pk,
        "version": report.version,
        "sha256": report.sha256,
        "links": [
            {
                "label": str(_("Download the report")),
                "url": reverse("reporting:download", args=[report.pk]),
            },
            {"label": str(_("All reports")), "url": reverse("reporting:builder")},
        ],
    }
