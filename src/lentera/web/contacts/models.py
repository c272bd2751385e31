"""A contact: one call, message, visit or referral-in, recorded in under a minute.

The concern, the caller's name and number, notes and the employer/agency as given are
encrypted at rest (:mod:`lentera.web.core.fields`) and declared in ``identity.py``; the
codes (channel, who, region, category, risk, outcome) are what analytics counts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.contacts import choices
from lentera.web.core.contradictions import ReadableConstraints
from lentera.web.core.fields import EncryptedTextField
from lentera.web.core.models import (
    CreatedBy,
    Edited,
    YearCounter,
    optional_fk,
    organisation_fk,
    user_fk,
)

#: days between two reminders for an open missing-person contact (default)
MISSING_CYCLE_DAYS = 7


class ContactCounter(YearCounter):
    """The last contact number issued per organisation and year."""

    class Meta(YearCounter.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="contact_counter_unique")
        ]


class Contact(ReadableConstraints, CreatedBy, Edited):
    """A hotline call, WhatsApp message, walk-in or referral-in."""

    organisation = organisation_fk(on_delete=models.PROTECT, related_name="contacts")
    number = models.CharField(_("contact number"), max_length=32)
    received_on = models.DateField(_("date of contact"))
    channel = models.CharField(_("channel"), max_length=16, choices=choices.Channel.choices)
    reporter = models.CharField(
        _("who reached out"), max_length=16, choices=choices.Reporter.choices
    )
    province = models.CharField(_("province"), max_length=2, blank=True, default="")
    regency = models.CharField(_("regency/city"), max_length=4, blank=True, default="")
    concern = EncryptedTextField(
        _("concern in a few words"), help_text=_("No full names needed; what happened, briefly.")
    )
    concern_category = models.CharField(
        _("kind of concern"),
        max_length=20,
        choices=choices.Concern.choices,
        default=choices.Concern.OTHER,
    )
    risk = models.CharField(
        _("risk level"), max_length=8, choices=choices.Risk.choices, default=choices.Risk.MEDIUM
    )
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=choices.Urgency.choices, default=choices.Urgency.NORMAL
    )
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    caller_name = EncryptedTextField(_("caller's name (optional)"), blank=True, default="")
    caller_phone = EncryptedTextField(_("caller's phone (optional)"), blank=True, default="")
    notes = EncryptedTextField(_("notes"), blank=True, default="")
    # missing person / unreachable migrant worker
    missing_person = models.BooleanField(
        _("missing person / unreachable migrant worker"), default=False
    )
    destination_country = models.CharField(
        _("destination country"), max_length=2, blank=True, default=""
    )
    employer_agency = EncryptedTextField(_("employer or agency, as given"), blank=True, default="")
    last_heard_on = models.DateField(_("family last heard from them on"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind every (days)"), default=MISSING_CYCLE_DAYS
    )
    # closing
    status = models.CharField(
        _("status"), max_length=8, choices=choices.Status.choices, default=choices.Status.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=choices.Outcome.choices, blank=True, default=""
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    case = optional_fk("cases.Case", related_name="contacts", verbose_name=_("case"))
    handled_by = user_fk(verbose_name=_("handled by"))

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="contact_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_days__gte=1) & models.Q(reminder_days__lte=90),
                name="contact_reminder_days_range",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-received_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == choices.Status.OPEN
