"""Writes of the referral app: validated, transactional, audited. One module per topic:

* :mod:`.directory` — the service directory (one provider; the import is ``referrals.directory``);
* :mod:`.referral` — sending a referral under the consent rule, its status machine;
* :mod:`.consent` — what a withdrawn referral consent does to the referrals resting on it;
* :mod:`.support_plan` — support actions and follow-ups;
* :mod:`.legal_process` — steps of the criminal process and the restitution dates;
* :mod:`.notifications` — creating notifications, marking them read.

Every public name is importable from here, so call sites say ``services.referral_send``.
Reads (the sides of a referral, its allowed transitions, its payload, the consent in force)
are in :mod:`lentera.web.referrals.selectors`.
"""

from lentera.web.referrals.services.consent import PERSONAL_PAYLOAD_KEYS, withdraw_referral_data
from lentera.web.referrals.services.directory import (
    PROVIDER_CONTACT_FIELDS,
    PROVIDER_FIELDS,
    provider_errors,
    provider_indexes,
    provider_save,
)
from lentera.web.referrals.services.legal_process import (
    RESTITUTION_DATES,
    legal_step_add,
    legal_step_delete,
)
from lentera.web.referrals.services.notifications import notification_mark_read, notify
from lentera.web.referrals.services.referral import MIN_REASON, referral_send, referral_transition
from lentera.web.referrals.services.support_plan import ACTION_FIELDS, action_save, follow_up_add

__all__ = [
    "ACTION_FIELDS",
    "MIN_REASON",
    "PERSONAL_PAYLOAD_KEYS",
    "PROVIDER_CONTACT_FIELDS",
    "PROVIDER_FIELDS",
    "RESTITUTION_DATES",
    "action_save",
    "follow_up_add",
    "legal_step_add",
    "legal_step_delete",
    "notification_mark_read",
    "notify",
    "provider_errors",
    "provider_indexes",
    "provider_save",
    "referral_send",
    "referral_transition",
    "withdraw_referral_data",
]
