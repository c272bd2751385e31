"""Closed lists of prevention outreach."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    VILLAGE = "village", _("Village socialisation")
    SCHOOL = "school", _("School session")
    RELIGIOUS = "religious", _("Religious gathering")
    PRE_DEPARTURE = "pre_departure", _("Pre-departure orientation")
    OFFICIALS = "officials", _("Training of village officials")
    WATCH_GROUP = "watch_group", _("Community watch group")
    OTHER = "other", _("Other")


class Topic(models.TextChoices):
    SAFE_MIGRATION = "safe_migration", _("Safe migration")
    CALO = "calo", _("Recognising calo (illegal recruiters)")
    PMI_PROCEDURE = "pmi_procedure", _("PMI procedure (BP2MI / Disnaker)")
    ONLINE_SCAMS = "online_scams", _("Online recruitment scams")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    RIGHTS = "rights", _("Workers' rights and where to get help")
    HOTLINE = "hotline", _("Hotline and reporting")
    OTHER = "other", _("Other")


#: attendance cells: (field, sex, age band) — counts only, never names
SEXES = (("female", _("Women and girls")), ("male", _("Men and boys")))
AGE_BANDS = (
    ("u18", _("under 18")),
    ("18_35", _("18–35")),
    ("36_59", _("36–59")),
    ("60p", _("60 and over")),
)
ATTENDANCE_FIELDS = tuple(f"{sex[0]}_{band[0]}" for sex in SEXES for band in AGE_BANDS)
