"""Referral pages, one module per topic: the dashboard, the service directory, referrals
(sending, the referral itself, the sent list and the inbox), support plans, the legal
process, notifications. Views parse input, call a selector or a service, and render; every
name ``referrals/urls.py`` routes to is importable from here."""

from lentera.web.referrals.views.dashboard import dashboard
from lentera.web.referrals.views.directory import (
    directory_export,
    directory_import,
    directory_list,
    directory_template,
    provider_edit,
)
from lentera.web.referrals.views.legal_process import legal_process, legal_step_delete
from lentera.web.referrals.views.notifications import notification_open, notifications
from lentera.web.referrals.views.referrals import (
    inbox,
    referral_detail,
    referral_follow_up,
    referral_letter,
    referral_list,
    referral_new,
    referral_transition,
)
from lentera.web.referrals.views.support_plan import (
    support_action_edit,
    support_action_follow_up,
    support_plan,
)

__all__ = [
    "dashboard",
    "directory_export",
    "directory_import",
    "directory_list",
    "directory_template",
    "inbox",
    "legal_process",
    "legal_step_delete",
    "notification_open",
    "notifications",
    "provider_edit",
    "referral_detail",
    "referral_follow_up",
    "referral_letter",
    "referral_list",
    "referral_new",
    "referral_transition",
    "support_action_edit",
    "support_action_follow_up",
    "support_plan",
]
