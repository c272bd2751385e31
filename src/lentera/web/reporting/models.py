"""Custom report templates an organisation wrote, and every report built (stored and versioned).

Reports hold suppressed aggregates only (never a survivor's record); the file lives under
``$LENTERA_DATA_DIR/reports/<organisation code>/`` with its SHA-256 recorded here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.core.models import (
    Created,
    CreatedBy,
    code_field,
    optional_fk,
    organisation_fk,
    organisation_unique,
    user_fk,
)


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX (Excel)"
    DOCX = "docx", "DOCX (Word)"
    PDF = "pdf", "PDF"


class ReportLanguage(models.TextChoices):
    ID = "id", "Bahasa Indonesia"
    EN = "en", "English"


class ReportTemplate(CreatedBy):
    """A custom template (format ``lentera-report-template/1``) uploaded or pasted by an organisation."""

    organisation = organisation_fk(related_name="report_templates")
    template_id = models.CharField(_("template id"), max_length=64)
    template_version = models.PositiveIntegerField(_("template version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("template (YAML)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [organisation_unique("template_id", name="report_template_unique")]

    def __str__(self) -> str:
        return self.template_id


class GeneratedReport(Created):
    """One built report file; building the same template and period again makes a new version."""

    organisation = organisation_fk(on_delete=models.PROTECT, related_name="generated_reports")
    template_id = models.CharField(_("template"), max_length=64)
    template_version = models.PositiveIntegerField(default=1)
    custom_template = optional_fk(ReportTemplate)
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=32)
    lang = code_field(_("language"), ReportLanguage, 2)
    fmt = code_field(_("format"), ReportFormat, 4)
    version = models.PositiveIntegerField(_("version"))
    file_name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    job = optional_fk("jobs.Job")
    created_by = user_fk(null=True)

    class Meta(Created.Meta):
        constraints = [
            organisation_unique(
                "template_id", "period", "version", name="generated_report_version_unique"
            )
        ]

    def __str__(self) -> str:
        return self.file_name
