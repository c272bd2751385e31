"""Stored, versioned assessments of a survivor in a case: screenings, legal analyses, restitution."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from lentera.law import QualificationResult
from lentera.screening import ScreeningResult
from lentera.web.cases.models import CaseSurvivor
from lentera.web.core.fields import EncryptedTextField
from lentera.web.core.models import Versioned, organisation_fk, user_fk


class Assessment(models.Model):
    """A numbered assessment of one survivor in a case: the engine's ``result`` as stored, who
    made it and when. Abstract: screenings and legal assessments have their own tables."""

    #: the engine's frozen result type the stored ``result`` is read back as
    result_type: ClassVar[type[BaseModel]]

    organisation = organisation_fk()
    number = models.PositiveIntegerField(_("number"))
    result = models.JSONField(_("result"))
    created_by = user_fk()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.number} of survivor link {self.case_survivor_id}"  # type: ignore[attr-defined]

    @cached_property
    def engine_result(self) -> Any:
        """The stored ``result`` read back as the engine's frozen, typed result."""
        return self.result_type.model_validate(self.result)


class Screening(Assessment):
    """One ILO/EC indicator screening: who, when, which catalogue, what was ticked, the result."""

    result_type = ScreeningResult

    case_survivor = models.ForeignKey(
        CaseSurvivor, on_delete=models.CASCADE, related_name="screenings"
    )
    catalogue = models.CharField(_("catalogue"), max_length=40)
    catalogue_version = models.CharField(_("catalogue version"), max_length=20)
    list_name = models.CharField(_("indicator list"), max_length=20)
    outcome = models.CharField(_("outcome"), max_length=32)
    indicators = models.JSONField(_("indicators"), default=list)
    #: {indicator id: evidence note}; free text about the survivor, so encrypted
    evidence = EncryptedTextField(_("evidence notes"), blank=True, default="")

    class Meta(Assessment.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["case_survivor", "number"], name="screening_number_unique"
            )
        ]


class LegalAssessment(Assessment):
    """One legal qualification of the survivor's case facts under a rule-set version."""

    result_type = QualificationResult

    case_survivor = models.ForeignKey(
        CaseSurvivor, on_delete=models.CASCADE, related_name="legal_assessments"
    )
    rule_set = models.CharField(_("rule set"), max_length=40)
    facts = models.JSONField(_("case facts"))

    class Meta(Assessment.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["case_survivor", "number"], name="legal_assessment_number_unique"
            )
        ]


class RestitutionClaim(Versioned):
    """The restitution worksheet of one survivor in one case (amounts in rupiah)."""

    organisation = organisation_fk()
    case_survivor = models.OneToOneField(
        CaseSurvivor, on_delete=models.CASCADE, related_name="restitution"
    )
    lost_property = models.PositiveBigIntegerField(_("lost property (Rp)"), default=0)
    promised_monthly_wage = models.PositiveBigIntegerField(
        _("promised monthly wage (Rp)"), null=True, blank=True
    )
    received_monthly_wage = models.PositiveBigIntegerField(
        _("wage actually received per month (Rp)"), default=0
    )
    months_worked = models.PositiveIntegerField(_("months worked"), default=0)
    regional_minimum_wage = models.PositiveBigIntegerField(
        _("regional minimum wage per month (Rp)"), null=True, blank=True
    )
    suffering = models.PositiveBigIntegerField(_("suffering (Rp)"), default=0)
    medical = models.PositiveBigIntegerField(_("medical and psychological costs (Rp)"), default=0)
    other = models.PositiveBigIntegerField(
        _("other losses: transport, legal costs (Rp)"), default=0
    )
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    final_judgment_notified_on = models.DateField(
        _("final judgment notified on"), null=True, blank=True
    )
    court_warning_on = models.DateField(_("court warning issued on"), null=True, blank=True)
    paid_on = models.DateField(_("restitution paid on"), null=True, blank=True)
    updated_by = user_fk()
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    def __str__(self) -> str:
        return f"restitution claim of survivor link {self.case_survivor_id}"
