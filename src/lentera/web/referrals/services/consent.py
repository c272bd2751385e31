"""What a withdrawn referral consent does to the referrals that rest on it.

Called by the consent-withdrawal service of the cases app through the ``CONSENT_HOOKS``
declared in :mod:`lentera.web.referrals.identity` (an explicit call, not a signal).
"""

from __future__ import annotations

import json

from django.db import transaction

from lentera.web.accounts.models import User
from lentera.web.audit.models import AuditAction
from lentera.web.audit.services import audit_log
from lentera.web.cases.choices import ConsentPurpose
from lentera.web.cases.models import Consent
from lentera.web.referrals import choices
from lentera.web.referrals.models import Referral
from lentera.web.referrals.selectors import case_workers
from lentera.web.referrals.services.notifications import notify

#: the keys of a frozen payload that describe the survivor (dropped when consent is withdrawn)
PERSONAL_PAYLOAD_KEYS = (
    "full_name",
    "other_names",
    "sex",
    "age",
    "is_child",
    "phone",
    "nik",
    "origin_address",
    "origin_regency_code",
    "origin_province_code",
    "exploitation_types",
    "recruitment_method",
    "is_migrant_worker",
    "destination_countries",
)


@transaction.atomic
def withdraw_referral_data(*, consent: Consent, actor: User) -> None:
    """A withdrawn referral consent stops the sharing: the receiver keeps the referral (and
    any service under way) but no longer sees the survivor's data; both sides are told."""
    if consent.purpose != ConsentPurpose.REFERRAL:
        return
    for referral in Referral.objects.filter(consent=consent).select_related("case"):
        data = {k: v for k, v in referral.payload_data.items() if k not in PERSONAL_PAYLOAD_KEYS}
        data["shared_fields"] = []
        data["consent_withdrawn"] = True
        referral.payload = json.dumps(data, ensure_ascii=False)
        referral.shared_fields = []
        referral.save(update_fields=["payload", "shared_fields", "updated_at"])
        detail = {"consent_withdrawn": True}
        audit_log(actor=actor, action=AuditAction.UPDATE, obj=referral, detail=detail)
        recipients = [referral.created_by, referral.case.owner]
        if referral.receiving_organisation_id:
            recipients += case_workers(referral.receiving_organisation_id)
        notify(
            recipients,
            kind=choices.NotificationKind.REFERRAL_CONSENT_WITHDRAWN,
            params={"number": referral.number},
            url=f"/referrals/{referral.pk}/",
            key=f"referral-withdrawn:{referral.pk}",
        )
