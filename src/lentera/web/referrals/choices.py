"""Vocabularies of the service directory, referrals and support plans.

Service types are the HTCDS v2.0 support-plan types (``spl_Type``) plus the
services Indonesian referral pathways name separately (shelter, psychosocial,
protection, repatriation, reintegration, documents, family tracing); the HTCDS
value each maps to is in docs/htcds-mapping.md and in the registry (``htcds``).

Every choices class is built at import time from the domain vocabulary
``src/lentera/vocabulary/data/referrals.yaml`` (codes, Indonesian and English labels;
:func:`~lentera.web.core.vocabulary.text_choices`); the constants below them (urgency days,
the status machine) are written here.
"""

from enum import StrEnum

from lentera.vocabulary import vocabulary
from lentera.web.cases.choices import SharedField
from lentera.web.core.vocabulary import text_choices

__all__ = ["SharedField"]


InstitutionType = text_choices("institution_type")
ServiceType = text_choices("service_type")
Urgency = text_choices("urgency")
ReferralStatus = text_choices("referral_status")
ActionStatus = text_choices("action_status")
Language = text_choices("language")

#: HTCDS v2.0 spl_Type for each Lentera service type ("" where HTCDS has no value)
HTCDS_SUPPORT_TYPE = {t.code: t.htcds for t in vocabulary("service_type").terms}


#: days from sending to the default due date, per urgency
URGENCY_DAYS = {Urgency.EMERGENCY: 1, Urgency.HIGH: 3, Urgency.NORMAL: 7, Urgency.LOW: 14}


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

#: the order of a referral page's buttons: the steps forward in the order they happen, then the
#: red ones (decline, cancel) last
BUTTON_ORDER = (_S.ACCEPTED, _S.IN_SERVICE, _S.COMPLETED, _S.DECLINED, _S.CANCELLED)

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
