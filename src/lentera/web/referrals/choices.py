"""Vocabularies of the service directory, referrals and support plans.

Service types are the HTCDS v2.0 support-plan types (``spl_Type``) plus the
services Indonesian referral pathways name separately (shelter, psychosocial,
protection, repatriation, reintegration, documents, family tracing); the HTCDS
value each maps to is in docs/htcds-mapping.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lentera.web.cases.choices import SharedField

__all__ = ["SharedField"]


class InstitutionType(models.TextChoices):
    """Who provides services to trafficking survivors in Indonesia (reference §6)."""

    UPTD_PPA = "uptd_ppa", _("UPTD PPA (women and children's protection unit)")
    PPT = "ppt", _("PPT (integrated service centre)")
    LPSK = "lpsk", _("LPSK (witness and victim protection agency)")
    POLICE = "police", _("Police (PPA-PPO unit)")
    PROSECUTOR = "prosecutor", _("Prosecutor (Kejaksaan)")
    COURT = "court", _("Court")
    RPTC = "rptc", _("Kemensos RPTC / government shelter")
    SOCIAL_OFFICE = "social_office", _("Social affairs office (Dinas Sosial)")
    MIGRANT_AGENCY = "migrant_agency", _("Migrant-worker ministry / BP3MI")
    HEALTH = "health", _("Hospital / puskesmas")
    LEGAL_AID = "legal_aid", _("Legal aid (LBH / Posbakum)")
    NGO = "ngo", _("NGO")
    NGO_SHELTER = "ngo_shelter", _("NGO shelter")
    MISSION = "mission", _("Indonesian mission abroad / Kemlu")
    CHILD_COMMISSION = "kpai", _("KPAI / KPAD (child protection commission)")
    CIVIL_REGISTRY = "civil_registry", _("Civil registry (Dukcapil)")
    INTERNATIONAL = "international", _("International organisation")
    COMMUNITY = "community", _("Community or religious organisation")
    OTHER = "other", _("Other")


class ServiceType(models.TextChoices):
    SHELTER = "shelter", _("Shelter / safe house")
    HEALTH = "health", _("Health care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support / counselling")
    LEGAL = "legal", _("Legal assistance")
    PROTECTION = "protection", _("Witness and victim protection")
    REPATRIATION = "repatriation", _("Repatriation / return home")
    REINTEGRATION = "reintegration", _("Reintegration")
    LIVELIHOOD = "livelihood", _("Livelihood / economic empowerment")
    EDUCATION = "education", _("Education")
    FINANCIAL = "financial", _("Financial assistance")
    SOCIAL_CARE = "social_care", _("Social care")
    RIGHTS_TRAINING = "rights_training", _("Rights-based training")
    LABOUR_REHAB = "labour_rehab", _("Labour-exploitation rehabilitation")
    SEXUAL_REHAB = "sexual_rehab", _("Sexual-exploitation rehabilitation")
    DOCUMENTS = "documents", _("Identity documents")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    OTHER = "other", _("Other")


#: HTCDS v2.0 spl_Type for each Lentera service type ("" where HTCDS has no value)
HTCDS_SUPPORT_TYPE = {
    "shelter": "SocialCare",
    "health": "Health",
    "psychosocial": "Health",
    "legal": "Legal",
    "protection": "Legal",
    "repatriation": "SocialCare",
    "reintegration": "SocialCare",
    "livelihood": "Livelihood",
    "education": "Education",
    "financial": "Financial",
    "social_care": "SocialCare",
    "rights_training": "RightsBasedTraining",
    "labour_rehab": "LabourExploitationRehabilitation",
    "sexual_rehab": "SexualExploitationRehabilitation",
    "documents": "SocialCare",
    "family_tracing": "SocialCare",
    "other": "",
}


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency (within 24 hours)")
    HIGH = "high", _("High (within 3 days)")
    NORMAL = "normal", _("Normal (within 7 days)")
    LOW = "low", _("Low (within 14 days)")


#: days from sending to the default due date, per urgency
URGENCY_DAYS = {Urgency.EMERGENCY: 1, Urgency.HIGH: 3, Urgency.NORMAL: 7, Urgency.LOW: 14}


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


_S = ReferralStatus

OPEN_STATUSES = frozenset({_S.SENT, _S.ACCEPTED, _S.IN_SERVICE})

#: the status machine: which status may follow which
TRANSITIONS: dict[str, frozenset[str]] = {
    _S.SENT: frozenset({_S.ACCEPTED, _S.DECLINED, _S.CANCELLED}),
    _S.ACCEPTED: frozenset({_S.IN_SERVICE, _S.COMPLETED, _S.CANCELLED}),
    _S.IN_SERVICE: frozenset({_S.COMPLETED, _S.CANCELLED}),
    _S.DECLINED: frozenset(),
    _S.COMPLETED: frozenset(),
    _S.CANCELLED: frozenset(),
}

#: transitions that are the receiving side's answer (the rest belong to the sender)
RECEIVER_STATUSES = frozenset({_S.ACCEPTED, _S.DECLINED, _S.IN_SERVICE, _S.COMPLETED})


class NotificationKind(models.TextChoices):
    """What a notification is about; its text is rendered from the kind in the reader's
    language (:func:`lentera.web.referrals.labels.notification_text`). Not a model field's
    choices: other apps add kinds of their own."""

    REFERRAL_RECEIVED = "referral_received"
    REFERRAL_ANSWERED = "referral_answered"
    REFERRAL_CANCELLED = "referral_cancelled"
    REFERRAL_CONSENT_WITHDRAWN = "referral_consent_withdrawn"
    REFERRAL_OVERDUE = "referral_overdue"
    INBOX_OVERDUE = "inbox_overdue"
    FOLLOW_UP_DUE = "follow_up_due"
    LEGAL_DEADLINE_OVERDUE = "legal_deadline_overdue"
    LEGAL_DEADLINE_SOON = "legal_deadline_soon"
    SECURITY_2FA = "security_2fa"
    RELEASE_PENDING = "release_pending"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")
    JAVANESE = "jv", _("Javanese")
    SUNDANESE = "su", _("Sundanese")
    MADURESE = "mad", _("Madurese")
    BALINESE = "ban", _("Balinese")
    SASAK = "sas", _("Sasak")
    MALAY = "ms", _("Malay")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    OTHER = "other", _("Other")
