"""An outreach activity: what, when, where, with whom, on which topics, and how many came.

Attendance is held as aggregates by sex and age band, never as a list of names. Nothing here
identifies a survivor; the place is a village name, not an address.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.core.models import CreatedBy, Edited, code_field, organisation_fk
from lentera.web.outreach import choices


class OutreachActivity(CreatedBy, Edited):
    """One prevention activity of an organisation."""

    organisation = organisation_fk(on_delete=models.PROTECT, related_name="outreach_activities")
    kind = code_field(_("type of activity"), choices.ActivityKind, 16)
    date = models.DateField(_("date"))
    province = models.CharField(_("province"), max_length=2)
    regency = models.CharField(_("regency/city"), max_length=4, blank=True, default="")
    village = models.CharField(
        _("village (desa/kelurahan)"), max_length=120, blank=True, default=""
    )
    partners = models.CharField(_("partner organisations"), max_length=300, blank=True, default="")
    topics = models.JSONField(_("topics"), default=list, blank=True)
    materials = models.CharField(_("materials used"), max_length=300, blank=True, default="")
    female_u18 = models.PositiveIntegerField(_("women/girls, under 18"), default=0)
    female_18_35 = models.PositiveIntegerField(_("women/girls, 18–35"), default=0)
    female_36_59 = models.PositiveIntegerField(_("women/girls, 36–59"), default=0)
    female_60p = models.PositiveIntegerField(_("women/girls, 60 and over"), default=0)
    male_u18 = models.PositiveIntegerField(_("men/boys, under 18"), default=0)
    male_18_35 = models.PositiveIntegerField(_("men/boys, 18–35"), default=0)
    male_36_59 = models.PositiveIntegerField(_("men/boys, 36–59"), default=0)
    male_60p = models.PositiveIntegerField(_("men/boys, 60 and over"), default=0)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        # the list, newest first, paged by key (issue 22)
        indexes = [models.Index(fields=["organisation", "-date", "-id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"

    @property
    def attendance(self) -> int:
        return sum(getattr(self, f) for f in choices.ATTENDANCE_FIELDS)

    def attendance_by_sex(self) -> dict[str, int]:
        return {
            sex: sum(getattr(self, f"{sex}_{band}") for band, _label in choices.AGE_BANDS)
            for sex, _label in choices.SEXES
        }
