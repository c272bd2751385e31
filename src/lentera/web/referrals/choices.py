"""Vocabularies of the service directory, referrals and support plans.

Service types are the HTCDS v2.0 support-plan types (``spl_Type``) plus the
services Indonesian referral pathways name separately (shelter, psychosocial,
protection, repatriation, reintegration, documents, family tracing); the HTCDS
value each maps to is in docs/htcds-mapping.md and in the registry (``htcds``).

GENERATED CLASSES: every ``TextChoices`` class below is written by ``tools/gen_vocabulary.py``
from the domain vocabulary ``src/lentera/vocabulary/data/referrals.yaml`` (codes, Indonesian
and English labels); edit the YAML and rerun the tool, a test fails while this module is stale.
The constants between the classes (urgency days, the status machine) are hand-written and kept
by the generator.
"""

from enum import StrEnum

from django.db import models

from lentera.vocabulary import vocabulary
from lentera.web.cases.choices import SharedField
from lentera.web.core.vocabulary import term_label

__all__ = ["SharedField"]


class InstitutionType(models.TextChoices):
    """Who provides services to trafficking survivors in Indonesia (reference §6)."""

    UPTD_PPA = "uptd_ppa", term_label("institution_type", "uptd_ppa")
    PPT = "ppt", term_label("institution_type", "ppt")
    LPSK = "lpsk", term_label("institution_type", "lpsk")
    POLICE = "police", term_label("institution_type", "police")
    PROSECUTOR = "prosecutor", term_label("institution_type", "prosecutor")
    COURT = "court", term_label("institution_type", "court")
    RPTC = "rptc", term_label("institution_type", "rptc")
    SOCIAL_OFFICE = "social_office", term_label("institution_type", "social_office")
    MIGRANT_AGENCY = "migrant_agency", term_label("institution_type", "migrant_agency")
    HEALTH = "health", term_label("institution_type", "health")
    LEGAL_AID = "legal_aid", term_label("institution_type", "legal_aid")
    NGO = "ngo", term_label("institution_type", "ngo")
    NGO_SHELTER = "ngo_shelter", term_label("institution_type", "ngo_shelter")
    MISSION = "mission", term_label("institution_type", "mission")
    CHILD_COMMISSION = "kpai", term_label("institution_type", "kpai")
    CIVIL_REGISTRY = "civil_registry", term_label("institution_type", "civil_registry")
    INTERNATIONAL = "international", term_label("institution_type", "international")
    COMMUNITY = "community", term_label("institution_type", "community")
    OTHER = "other", term_label("institution_type", "other")


class ServiceType(models.TextChoices):
    SHELTER = "shelter", term_label("service_type", "shelter")
    HEALTH = "health", term_label("service_type", "health")
    PSYCHOSOCIAL = "psychosocial", term_label("service_type", "psychosocial")
    LEGAL = "legal", term_label("service_type", "legal")
    PROTECTION = "protection", term_label("service_type", "protection")
    REPATRIATION = "repatriation", term_label("service_type", "repatriation")
    REINTEGRATION = "reintegration", term_label("service_type", "reintegration")
    LIVELIHOOD = "livelihood", term_label("service_type", "livelihood")
    EDUCATION = "education", term_label("service_type", "education")
    FINANCIAL = "financial", term_label("service_type", "financial")
    SOCIAL_CARE = "social_care", term_label("service_type", "social_care")
    RIGHTS_TRAINING = "rights_training", term_label("service_type", "rights_training")
    LABOUR_REHAB = "labour_rehab", term_label("service_type", "labour_rehab")
    SEXUAL_REHAB = "sexual_rehab", term_label("service_type", "sexual_rehab")
    DOCUMENTS = "documents", term_label("service_type", "documents")
    FAMILY_TRACING = "family_tracing", term_label("service_type", "family_tracing")
    OTHER = "other", term_label("service_type", "other")


#: HTCDS v2.0 spl_Type for each Lentera service type ("" where HTCDS has no value)
HTCDS_SUPPORT_TYPE = {t.code: t.htcds for t in vocabulary("service_type").terms}


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", term_label("urgency", "emergency")
    HIGH = "high", term_label("urgency", "high")
    NORMAL = "normal", term_label("urgency", "normal")
    LOW = "low", term_label("urgency", "low")


#: days from sending to the default due date, per urgency
URGENCY_DAYS = {Urgency.EMERGENCY: 1, Urgency.HIGH: 3, Urgency.NORMAL: 7, Urgency.LOW: 14}


class ReferralStatus(models.TextChoices):
    SENT = "sent", term_label("referral_status", "sent")
    ACCEPTED = "accepted", term_label("referral_status", "accepted")
    DECLINED = "declined", term_label("referral_status", "declined")
    IN_SERVICE = "in_service", term_label("referral_status", "in_service")
    COMPLETED = "completed", term_label("referral_status", "completed")
    CANCELLED = "cancelled", term_label("referral_status", "cancelled")


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


class NotificationKind(StrEnum):
    """What a notification is about; its text is rendered from the kind in the reader's
    language (:func:`lentera.web.referrals.labels.notification_text`). A plain ``StrEnum``,
    not ``TextChoices``: it is no model field's choices and has no labels of its own (so it is
    not in the vocabulary registry), and other apps add kinds of their own."""

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
    PLANNED = "planned", term_label("action_status", "planned")
    IN_PROGRESS = "in_progress", term_label("action_status", "in_progress")
    DONE = "done", term_label("action_status", "done")
    CANCELLED = "cancelled", term_label("action_status", "cancelled")


class Language(models.TextChoices):
    INDONESIAN = "id", term_label("language", "id")
    ENGLISH = "en", term_label("language", "en")
    JAVANESE = "jv", term_label("language", "jv")
    SUNDANESE = "su", term_label("language", "su")
    MADURESE = "mad", term_label("language", "mad")
    BALINESE = "ban", term_label("language", "ban")
    SASAK = "sas", term_label("language", "sas")
    MALAY = "ms", term_label("language", "ms")
    ARABIC = "ar", term_label("language", "ar")
    CHINESE = "zh", term_label("language", "zh")
    OTHER = "other", term_label("language", "other")
