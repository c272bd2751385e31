"""Stored screenings and legal assessments: versioned, re-explainable years later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.cases.models import CaseSurvivor
from lentera.web.core.fields import EncryptedTextField


class ScreeningRecord(models.Model):
    """One ILO/EC indicator screening of a survivor in a case."""

    link = models.ForeignKey(CaseSurvivor, on_delete=models.CASCADE, related_name="screenings")
    catalogue = models.CharField(_("indicator catalogue"), max_length=40)
    lists = models.JSONField(default=list)
    indicators = models.JSONField(_("indicators observed"), default=list)
    #: {indicator id: evidence note}, encrypted because notes describe the survivor
    evidence = EncryptedTextField(_("evidence notes"), blank=True, default="")
    result = models.JSONField(_("result (lentera.screening/1)"))
    outcome = models.CharField(_("outcome"), max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"screening #{self.pk} {self.outcome}"


class LegalAssessment(models.Model):
    """One run of the legal qualification engine on a survivor's case facts."""

    link = models.ForeignKey(
        CaseSurvivor, on_delete=models.CASCADE, related_name="legal_assessments"
    )
    rule_set = models.CharField(_("rule set"), max_length=40)
    facts = models.JSONField(_("case facts (lentera.case-facts/1)"))
    result = models.JSONField(_("result (lentera.qualification/1)"))
    tppo = models.BooleanField(null=True)
    restitution = models.JSONField(_("restitution worksheet"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("legal assessment")
        verbose_name_plural = _("legal assessments")

    def __str__(self) -> str:
        return f"assessment #{self.pk} {self.rule_set}"
