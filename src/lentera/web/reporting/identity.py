"""The report builder holds no survivor identity (see :mod:`lentera.web.core.identity`):
reports are suppressed aggregates from the de-identified warehouse."""

from __future__ import annotations

from lentera.web.core.identity import declare_not_identity

declare_not_identity(
    ["reporting.ReportTemplate.text"],
    "a report layout: metric ids, titles and groupings, never a record",
)
