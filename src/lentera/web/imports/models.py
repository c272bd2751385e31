"""Import bookkeeping: each run (no personal data) and which submissions became which case."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.cases.models import Case
from lentera.web.core.models import (
    Created,
    code_field,
    organisation_fk,
    organisation_unique,
    user_fk,
)
from lentera.web.core.vocabulary import text_choices

ImportFormat = text_choices("import_format")
ImportMode = text_choices("import_mode")


class ImportRun(Created):
    """One import or check of a file or a KoboToolbox asset: who, when, how, and the counts."""

    organisation = organisation_fk(on_delete=models.PROTECT)
    actor = user_fk()
    format = code_field(_("format"), ImportFormat, 16)
    source = models.CharField(_("source"), max_length=16, default="file")
    mode = code_field(_("mode"), ImportMode, 16)
    file_sha256 = models.CharField(max_length=64, blank=True, default="")
    rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    cases_created = models.PositiveIntegerField(default=0)
    survivors_created = models.PositiveIntegerField(default=0)
    skipped_existing = models.PositiveIntegerField(default=0)
    written = models.BooleanField(default=False)

    class Meta(Created.Meta):
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.format}, {self.mode})"


class ImportedSubmission(Created):
    """A KoboToolbox/ODK submission (by uuid) already imported, and the case it became."""

    organisation = organisation_fk(on_delete=models.PROTECT)
    source = models.CharField(max_length=16, default="kobo")
    uuid = models.CharField(max_length=100)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("imported submission")
        verbose_name_plural = _("imported submissions")
        constraints = [organisation_unique("source", "uuid", name="imported_submission_unique")]

    def __str__(self) -> str:
        return f"{self.source}:{self.uuid}"
