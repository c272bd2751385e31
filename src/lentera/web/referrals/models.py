"""Service directory, referrals with their history, support plans, follow-ups,
the legal-process timeline and in-app notifications.

What a referral passes to the receiving provider is frozen at sending time in
``Referral.payload`` (encrypted): only the categories the survivor's referral
consent allows (or a supervisor's override names). The receiving organisation
reads that payload and never the sender's case.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.cases.models import Case, CaseSurvivor, Consent
from lentera.web.core.contradictions import ReadableConstraints
from lentera.web.core.fields import EncryptedTextField
from lentera.web.core.models import (
    Created,
    CreatedBy,
    Edited,
    Modified,
    ShownById,
    YearCounter,
    code_field,
    optional_fk,
    organisation_fk,
    organisation_unique,
    user_fk,
)
from lentera.web.referrals import choices


class ServiceProvider(Created, Edited):
    """An entry of an organisation's service directory."""

    organisation = organisation_fk()
    name = models.CharField(_("name"), max_length=200)
    institution_type = code_field(_("institution type"), choices.InstitutionType, 24)
    services = models.JSONField(_("services offered"), default=list, blank=True)
    nationwide = models.BooleanField(_("serves all of Indonesia"), default=False)
    province_codes = models.JSONField(_("provinces covered"), default=list, blank=True)
    regency_codes = models.JSONField(_("regencies/cities covered"), default=list, blank=True)
    address = models.TextField(_("address"), blank=True, default="")
    phone = models.CharField(_("phone"), max_length=64, blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True, default="")
    website = models.URLField(_("website"), blank=True, default="")
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True, default="")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    linked_organisation = organisation_fk(
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("uses this Lentera instance as"),
        help_text=_("If the provider works in this Lentera, referrals go to its inbox."),
    )
    #: denormalised "|code|code|" of services and of regions, for filtering in SQL
    service_index = models.CharField(max_length=400, blank=True, default="")
    region_index = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        constraints = [organisation_unique("name", name="provider_name_unique")]
        indexes = [models.Index(fields=["organisation", "is_active", "name"])]

    def __str__(self) -> str:
        return self.name


class ReferralCounter(YearCounter):
    """The last referral number issued per organisation and year."""

    class Meta(YearCounter.Meta):
        constraints = [organisation_unique("year", name="referral_counter_unique")]


class Referral(ReadableConstraints, Edited):
    """A survivor referred from a case to a provider, followed until it ends."""

    organisation = organisation_fk(on_delete=models.PROTECT, related_name="referrals_sent")
    number = models.CharField(_("referral number"), max_length=32)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    case_survivor = models.ForeignKey(
        CaseSurvivor, on_delete=models.PROTECT, related_name="referrals"
    )
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="referrals"
    )
    receiving_organisation = organisation_fk(
        on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received"
    )
    services = models.JSONField(_("services requested"), default=list)
    reason = EncryptedTextField(_("reason for referral"))
    urgency = code_field(_("urgency"), choices.Urgency, 12, default="normal")
    due_date = models.DateField(_("answer or service needed by"))
    status = code_field(_("status"), choices.ReferralStatus, 12, default="sent")
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    override_reason = EncryptedTextField(_("reason for referring without consent"), blank=True)
    override_by = user_fk(null=True, blank=True)
    shared_fields = models.JSONField(_("data shared"), default=list)
    #: JSON of what the receiving provider may see (only the shared categories)
    payload = EncryptedTextField(blank=True, default="")
    answer_reason = EncryptedTextField(_("reason (decline or cancel)"), blank=True, default="")
    sent_at = models.DateTimeField(_("sent"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = user_fk()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            organisation_unique("number", name="referral_number_unique"),
            models.CheckConstraint(
                condition=models.Q(consent__isnull=False) | ~models.Q(override_by=None),
                name="referral_consent_or_override",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"]),
            models.Index(fields=["receiving_organisation", "status", "-sent_at"]),
            # the sent list, newest first, paged by key (issue 22)
            models.Index(fields=["organisation", "-sent_at", "-id"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def payload_data(self) -> dict[str, Any]:
        return json.loads(self.payload) if self.payload else {}

    @property
    def is_open(self) -> bool:
        return self.status in choices.OPEN_STATUSES

    @property
    def is_internal(self) -> bool:
        return self.receiving_organisation_id is not None


class ReferralEvent(models.Model):
    """One status change of a referral: who, which side, when, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, blank=True, default="")
    to_status = models.CharField(max_length=12, choices=choices.ReferralStatus.choices)
    actor = user_fk()
    actor_organisation = organisation_fk(on_delete=models.PROTECT)
    #: True when the sender recorded the provider's answer (provider outside this instance)
    recorded_for_provider = models.BooleanField(default=False)
    note = EncryptedTextField(blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status}→{self.to_status}"


class SupportAction(ShownById, ReadableConstraints, CreatedBy, Edited):
    """One line of a survivor's support plan (HTCDS spl_: objectives, action plan, dates, type)."""

    shown_as = "support action"

    organisation = organisation_fk()
    case_survivor = models.ForeignKey(
        CaseSurvivor, on_delete=models.CASCADE, related_name="support_actions"
    )
    service_type = code_field(_("type of support"), choices.ServiceType, 24)
    objective = EncryptedTextField(_("objective"))
    action = EncryptedTextField(_("action plan"), blank=True, default="")
    responsible = user_fk(
        on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("responsible worker")
    )
    referral = optional_fk(Referral, related_name="actions", verbose_name=_("through referral"))
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = code_field(_("status"), choices.ActionStatus, 12, default="planned")
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)

    class Meta:
        ordering = ["planned_end", "id"]
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_start__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="support_action_dates",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "next_follow_up"])]


class FollowUp(ShownById, Created):
    """A dated follow-up on a support action or a referral, and what was found."""

    shown_as = "follow-up"

    organisation = organisation_fk()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.ForeignKey(
        SupportAction, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    done_on = models.DateField(_("date"))
    note = EncryptedTextField(_("what was found"))
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    author = user_fk()

    class Meta:
        ordering = ["-done_on", "-id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")


class LegalStep(Modified):
    """A recorded step of the criminal process (codes from lentera/law/data/legal_process.yaml)."""

    organisation = organisation_fk()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_steps")
    case_survivor = models.ForeignKey(
        CaseSurvivor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_steps",
        verbose_name=_("survivor"),
    )
    step = models.CharField(_("step"), max_length=32)
    date = models.DateField(_("date"))
    amount = models.PositiveBigIntegerField(_("amount (Rp)"), null=True, blank=True)
    reference = EncryptedTextField(_("document number"), blank=True, default="")
    note = EncryptedTextField(_("note"), blank=True, default="")
    recorded_by = user_fk()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("legal-process step")
        verbose_name_plural = _("legal-process steps")

    def __str__(self) -> str:
        return f"{self.step} {self.date}"


class Notification(Created):
    """An in-app reminder or message; the text is rendered from ``kind`` in the reader's language."""

    user = user_fk(on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=200, blank=True, default="")
    #: one notification per user and key (reminder runs are idempotent)
    key = models.CharField(max_length=120)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta(Created.Meta):
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_key_unique")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
