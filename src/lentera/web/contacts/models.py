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
    code_field,
    optional_fk,
    organisation_fk,
    organisation_unique,
    user_fk,
)

#: days between two reminders for an open missing-person contact (default)
MISSING_CYCLE_DAYS = 7


class ContactCounter(YearCounter):
    """The last contact number issued per organisation and year."""

    class Meta(YearCounter.Meta):
        constraints = [organisation_unique("year", name="contact_counter_unique")]


class Contact(ReadableConstraints, CreatedBy, Edited):
    """A hotline call, WhatsApp message, walk-in or referral-in."""

    organisation = organisation_fk(on_delete=models.PROTECT, related_name="contacts")
    number = models.CharField(_("contact number"), max_length=32)
    received_on = models.DateField(_("date of contact"))
    channel = code_field(_("channel"), choices.Channel, 16)
    reporter = code_field(_("who reached out"), choices.Reporter, 16)
    province = models.CharField(_("province"), max_length=2, blank=True, default="")
    regency = models.CharField(_("regency/city"), max_length=4, blank=True, default="")
    concern = EncryptedTextField(
        _("concern in a few words"), help_text=_("No full names needed; what happened, briefly.")
    )
    concern_category = code_field(
        _("kind of concern"), choices.Concern, 20, default=choices.Concern.OTHER
    )
    risk = code_field(_("risk level"), choices.Risk, 8, default=choices.Risk.MEDIUM)
    urgency = code_field(_("urgency"), choices.Urgency, 12, default=choices.Urgency.NORMAL)
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
    status = code_field(_("status"), choices.Status, 8, default=choices.Status.OPEN)
    outcome = code_field(_("outcome"), choices.Outcome, 20, optional=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    case = optional_fk("cases.Case", related_name="contacts", verbose_name=_("case"))
    handled_by = user_fk(verbose_name=_("handled by"))

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            organisation_unique("number", name="contact_number_unique"),
            models.CheckConstraint(
                condition=models.Q(reminder_days__gte=1) & models.Q(reminder_days__lte=90),
                name="contact_reminder_days_range",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-received_on"]),
            # the list, newest first, paged by key (issue 22)
            models.Index(fields=["organisation", "-received_on", "-id"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status == choices.Status.OPEN
