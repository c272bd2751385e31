"""Reads of the referral app, scoped to the actor's organisation.

A referral is visible to its sending organisation (in full) and to the
receiving organisation on this instance (its payload only). Opening a referral
that carries survivor data is audited.

One module per topic; every public name is importable from here:

* :mod:`.directory` — the service directory;
* :mod:`.referral` — referrals, the sender/receiver sides, consent and the frozen payload;
* :mod:`.support_plan` — support actions, follow-ups, the legal-process timeline;
* :mod:`.notifications` — in-app notifications and who receives them;
* :mod:`.dashboard` — the follow-through dashboard.

Selectors never import services: a write that needs a read calls a selector.
"""

from lentera.web.referrals.selectors.dashboard import ProviderKpi, dashboard_for_user
from lentera.web.referrals.selectors.directory import provider_get_for_user, providers_for_user
from lentera.web.referrals.selectors.notifications import (
    case_workers,
    notification_get_for_user,
    notifications_for_user,
    supervisors,
    unread_count,
    workers_of_organisation,
)
from lentera.web.referrals.selectors.referral import (
    allowed_transitions,
    inbox_for_user,
    referral_consent,
    referral_events,
    referral_follow_ups,
    referral_get_for_user,
    referral_payload,
    referrals_of_case,
    referrals_of_link,
    sent_for_user,
    side_of,
    survivor_age,
)
from lentera.web.referrals.selectors.support_plan import (
    case_timeline,
    legal_deadlines_due,
    legal_step_get_for_user,
    support_action_get_for_user,
    support_actions_of,
    survivors_of_case,
)

__all__ = [
    "ProviderKpi",
    "allowed_transitions",
    "case_timeline",
    "case_workers",
    "dashboard_for_user",
    "inbox_for_user",
    "legal_deadlines_due",
    "legal_step_get_for_user",
    "notification_get_for_user",
    "notifications_for_user",
    "provider_get_for_user",
    "providers_for_user",
    "referral_consent",
    "referral_events",
    "referral_follow_ups",
    "referral_get_for_user",
    "referral_payload",
    "referrals_of_case",
    "referrals_of_link",
    "sent_for_user",
    "side_of",
    "supervisors",
    "support_action_get_for_user",
    "support_actions_of",
    "survivor_age",
    "survivors_of_case",
    "unread_count",
    "workers_of_organisation",
]
