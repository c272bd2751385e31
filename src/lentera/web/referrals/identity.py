"""Where referrals, support plans and the legal process hold a survivor's identity, and what
a withdrawn referral consent does to them.

Anonymisation (:func:`lentera.web.cases.services.person_anonymise`) walks the ``declare(...)``
list below: the frozen payload of each referral is scrubbed by :func:`scrub_referral_payload`.
A withdrawn consent runs the ``CONSENT_HOOKS`` of its purpose. Both are explicit calls from
the cases app's services, not signal receivers.
"""

from __future__ import annotations

import json

from django.db.models import Q, QuerySet

from lentera.web.cases.choices import ConsentPurpose
from lentera.web.core.identity import REDACTED, ConsentHook, declare, declare_not_identity
from lentera.web.referrals.models import Notification, Referral
from lentera.web.referrals.services import withdraw_referral_data

#: what stays of a frozen referral payload once the survivor is anonymised
PAYLOAD_KEPT_KEYS = ("number", "from_organisation", "services", "urgency", "due_date", "pseudonym")


CONSENT_HOOKS = [
    ConsentHook(
        purpose=ConsentPurpose.REFERRAL,
        withdraw=withdraw_referral_data,
        why="the referrals made under the consent stop passing the survivor's data to the "
        "receiver, and both sides are told",
    )
]


def scrub_referral_payload(referral: Referral) -> None:
    """The copy shared with the receiver keeps the referral's logistics, nothing about the person."""
    data = referral.payload_data
    kept = {k: data[k] for k in PAYLOAD_KEPT_KEYS if k in data}
    kept["shared_fields"] = []
    kept["reason"] = REDACTED
    kept["anonymised"] = True
    referral.payload = json.dumps(kept, ensure_ascii=False)
    referral.shared_fields = []
    referral.save(update_fields=["payload", "shared_fields"])


def _notifications(person_ids: list[int], case_ids: list[int]) -> QuerySet[Notification]:
    """Notifications that point at the person, their cases or their referrals (texts carry
    case and referral numbers)."""
    referral_ids = list(
        Referral.objects.filter(
            Q(case_survivor__person_id__in=person_ids) | Q(case_id__in=case_ids)
        ).values_list("pk", flat=True)
    )
    q = Q(pk__in=[])
    for pid in person_ids:
        q |= Q(url__startswith=f"/cases/persons/{pid}/")
    for cid in case_ids:
        q |= Q(url__startswith=f"/cases/{cid}/") | Q(url__startswith=f"/referrals/cases/{cid}/")
        q |= Q(url__startswith=f"/assessments/cases/{cid}/")
    for rid in referral_ids:
        q |= Q(url__startswith=f"/referrals/{rid}/")
    # reintegration reminders point at follow-ups of the person's plans (imported
    # here: the reintegration app imports referrals, a module-level import would be a cycle)
    from lentera.web.reintegration.reminders import notification_urls

    for prefix in notification_urls(person_ids):
        q |= Q(url__startswith=prefix)
    return Notification.objects.filter(q)


declare(
    "referrals.Referral",
    person=("case_survivor__person",),
    fields=("reason", "override_reason", "answer_reason"),
    scrub=scrub_referral_payload,
    scrubbed=("payload", "shared_fields"),
    why="the reason for referral and the payload frozen for the receiving organisation",
)
declare(
    "referrals.ReferralEvent",
    person=("referral__case_survivor__person",),
    fields=("note",),
    why="notes on status changes (the receiver's answer)",
)
declare(
    "referrals.SupportAction",
    person=("case_survivor__person",),
    fields=("objective", "action"),
    why="support plan objectives and actions",
)
declare(
    "referrals.FollowUp",
    case="case",
    fields=("note",),
    why="follow-up visit notes",
)
declare(
    "referrals.LegalStep",
    person=("case_survivor__person",),
    case="case",
    fields=("reference", "note"),
    why="document numbers (a court register number identifies the case) and notes",
)
declare(
    "referrals.Notification",
    select=_notifications,
    delete=True,
    why="notification texts name the case or referral",
)
declare_not_identity(
    [
        "referrals.Referral.services",
    ],
    "service codes",
)
declare_not_identity(
    [
        f"referrals.ServiceProvider.{f}"
        for f in (
            "services",
            "province_codes",
            "regency_codes",
            "address",
            "languages",
            "notes",
            "region_index",
        )
    ],
    "the service directory describes organisations, not survivors",
)
