"""Reports engine: donor, government and custom reports from the analytics warehouse.

Templates are versioned YAML data files (:mod:`lentera.reports.templates`) naming metrics of
the analytics registry; :func:`build_report` fills one for a period (:mod:`.period`) and the
previous period, from the warehouse only and through small-cell suppression, and says what
changed in words; :mod:`lentera.reports.render` writes XLSX, DOCX or PDF in Bahasa Indonesia
or English. No Django here (import-linter contract).
"""

from lentera.reports.builder import Report, build_report
from lentera.reports.period import Period, parse_period
from lentera.reports.templates import (
    Template,
    TemplateError,
    load_template,
    parse_template,
    shipped_templates,
)

__all__ = [
    "Period",
    "Report",
    "Template",
    "TemplateError",
    "build_report",
    "load_template",
    "parse_period",
    "parse_template",
    "shipped_templates",
]
