"""Reintegration plans, their actions, the follow-up schedule, RSS scores and later departures.

A plan belongs to one survivor (``cases.Person``) of one organisation and is linked to the
case that brought them in. Notes are encrypted and declared in :mod:`.identity` so that
anonymising the survivor erases them; codes, dates, amounts and scores are statistics.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.accounts.models import Organisation
from lentera.web.cases.models import Case, Person
from lentera.web.core.contradictions import ReadableConstraints
from lentera.web.core.fields import EncryptedTextField
from lentera.web.core.models import (
    Created,
    CreatedBy,
    Edited,
    Modified,
    ShownById,
    code_field,
    optional_fk,
    organisation_fk,
    organisation_unique,
    user_fk,
)
from lentera.web.referrals.models import Referral, ServiceProvider
from lentera.web.reintegration import choices


def _default_schedule() -> list[int]:
    return list(choices.DEFAULT_SCHEDULE)


class ReintegrationSettings(Edited):
    """Per organisation: when follow-ups fall (months after the return date) and how."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    schedule_months = models.JSONField(
        _("follow-up months after return"), default=_default_schedule
    )
    default_mode = code_field(_("usual follow-up"), choices.Mode, 8, default=choices.Mode.VISIT)

    class Meta:
        verbose_name = _("reintegration settings")

    def __str__(self) -> str:
        return f"reintegration settings of {self.organisation_id}"


class ReintegrationPlan(ShownById, ReadableConstraints, CreatedBy, Edited):
    """One survivor's reintegration plan."""

    shown_as = "reintegration plan"

    organisation = organisation_fk(on_delete=models.PROTECT)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    referral = optional_fk(Referral, verbose_name=_("referral"))
    return_date = models.DateField(_("return date"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True, default="")

    class Meta(CreatedBy.Meta):
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        constraints = [organisation_unique("person", name="reint_plan_person")]


class PlanAction(ReadableConstraints, CreatedBy, Edited):
    """One action of a plan: what, who provides it, when, what it cost and who paid."""

    organisation = organisation_fk(on_delete=models.PROTECT)
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="actions")
    domain = code_field(_("domain"), choices.Domain, 16)
    kind = code_field(_("action"), choices.ActionKind, 24)
    provider = optional_fk(ServiceProvider, verbose_name=_("service provider"))
    responsible = models.CharField(
        _("responsible organisation"), max_length=200, blank=True, default=""
    )
    referral = optional_fk(Referral, verbose_name=_("referral"))
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    status = code_field(_("status"), choices.ActionStatus, 12, default=choices.ActionStatus.PLANNED)
    cost = models.PositiveBigIntegerField(_("cost (Rp)"), null=True, blank=True)
    donor = models.CharField(_("paid by (donor)"), max_length=120, blank=True, default="")
    note = EncryptedTextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["domain", "planned_date", "id"]
        verbose_name = _("reintegration action")
        verbose_name_plural = _("reintegration actions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(actual_date__isnull=False),
                name="reint_action_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class ReintegrationFollowUp(ShownById, ReadableConstraints, Edited):
    """One scheduled follow-up (visit or call) and what came of it."""

    shown_as = "follow-up"

    organisation = organisation_fk(on_delete=models.PROTECT)
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="followups")
    months = models.PositiveSmallIntegerField(_("months after return"))
    due_date = models.DateField(_("due date"))
    mode = code_field(_("mode"), choices.Mode, 8)
    outcome = code_field(_("outcome"), choices.Outcome, 12, optional=True)
    done_on = models.DateField(_("date of the visit or call"), null=True, blank=True)
    note = EncryptedTextField(_("note"), blank=True, default="")
    recorded_by = user_fk(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("reintegration follow-up")
        verbose_name_plural = _("reintegration follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["plan", "months"], name="reint_followup_slot"),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(done_on__isnull=False),
                name="reint_followup_outcome_dated",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "outcome", "due_date"])]

    @property
    def slot(self) -> str:
        """The engine's visit label: ``return`` or ``month_N``."""
        return "return" if self.months == 0 else f"month_{self.months}"


class RssScore(ShownById, CreatedBy, Modified):
    """The Reintegration Sustainability Survey answers of a reached follow-up and their scores."""

    shown_as = "rss score"

    organisation = organisation_fk(on_delete=models.PROTECT)
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="scores")
    followup = models.OneToOneField(
        ReintegrationFollowUp, on_delete=models.CASCADE, related_name="score"
    )
    visit_date = models.DateField(_("visit date"))
    answers = models.JSONField(default=dict)
    economic = models.FloatField(null=True, blank=True)
    social = models.FloatField(null=True, blank=True)
    psychosocial = models.FloatField(null=True, blank=True)
    composite = models.FloatField(null=True, blank=True)
    #: catalogue id and version the answers were scored against, e.g. iom-rss-2019/1@1.0.0
    catalogue = models.CharField(max_length=64)
    reasons = models.JSONField(default=list)
    result = models.JSONField(default=dict)

    class Meta:
        ordering = ["visit_date", "id"]
        verbose_name = _("RSS score")
        verbose_name_plural = _("RSS scores")


class Departure(ShownById, Created, Modified):
    """A later departure (re-migration) or re-exploitation of a survivor with a plan."""

    shown_as = "departure"

    organisation = organisation_fk(on_delete=models.PROTECT)
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE, related_name="departures")
    kind = code_field(_("what happened"), choices.DepartureKind, 16)
    departed_on = models.DateField(_("date (approximate)"))
    channel = code_field(_("channel"), choices.Channel, 16, default=choices.Channel.UNKNOWN)
    same_recruiter = code_field(
        _("through the same recruiter (calo)?"),
        choices.SameRecruiter,
        8,
        default=choices.SameRecruiter.UNKNOWN,
    )
    destination_country = models.CharField(
        _("destination country"), max_length=2, blank=True, default=""
    )
    earlier_case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("earlier case")
    )
    new_case = optional_fk(Case, verbose_name=_("new case"))
    note = EncryptedTextField(_("note"), blank=True, default="")
    recorded_by = user_fk()

    class Meta:
        ordering = ["-departed_on", "-id"]
        verbose_name = _("later departure")
        verbose_name_plural = _("later departures")


class ImportedVisit(Created):
    """A survey submission (by its key) already written by an import, and the follow-up it
    filled: a retried import job skips it instead of writing it twice."""

    organisation = organisation_fk(on_delete=models.PROTECT)
    #: the submission's own id (``_uuid``, ``meta/instanceID``) or a digest of its cells
    key = models.CharField(max_length=100)
    followup = models.ForeignKey(ReintegrationFollowUp, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("imported survey submission")
        verbose_name_plural = _("imported survey submissions")
        constraints = [organisation_unique("key", name="reint_imported_visit_key")]

    def __str__(self) -> str:
        return f"imported visit #{self.pk}"
