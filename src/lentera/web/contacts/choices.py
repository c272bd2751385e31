"""Closed lists of the contact log (codes stored; labels translated)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WALK_IN = "walk_in", _("Walk-in")
    REFERRAL_IN = "referral_in", _("Referred to us")
    SOCIAL_MEDIA = "social_media", _("Social media")
    OTHER = "other", _("Other")


class Reporter(models.TextChoices):
    SURVIVOR = "survivor", _("The survivor")
    FAMILY = "family", _("Family")
    COMMUNITY = "community", _("Community member")
    OFFICIAL = "official", _("Official")
    ANONYMOUS = "anonymous", _("Anonymous")


class Concern(models.TextChoices):
    """What the contact is about, in one category (counted in analytics; the words stay private)."""

    MIGRANT_WORKER = "migrant_worker", _("Problem of a migrant worker abroad")
    MISSING = "missing", _("Missing or unreachable person")
    LABOUR = "labour", _("Forced or exploitative labour")
    SEXUAL = "sexual", _("Sexual exploitation")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    ONLINE_SCAM = "online_scam", _("Online recruitment or scam")
    RECRUITMENT_INFO = "recruitment_info", _("Asking about a job offer or recruiter")
    OTHER = "other", _("Other")


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (within days)")
    EMERGENCY = "emergency", _("Emergency (today)")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    INFORMATION = "information", _("Information given")
    REFERRED = "referred", _("Referred")
    CASE_OPENED = "case_opened", _("Case opened")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")


#: how the case store calls the channel a contact came through (``cases.IntakeChannel``)
CASE_INTAKE = {
    Channel.PHONE: "hotline",
    Channel.WHATSAPP: "hotline",
    Channel.SOCIAL_MEDIA: "hotline",
    Channel.WALK_IN: "self",
    Channel.REFERRAL_IN: "ngo",
    Channel.OTHER: "other",
}
#: who reached out, when the survivor did not, as the case store's intake channel
REPORTER_INTAKE = {
    Reporter.FAMILY: "family",
    Reporter.COMMUNITY: "family",
    Reporter.OFFICIAL: "government",
}
