from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Referrals, support plans and the legal process.

    No signal receivers: what anonymisation and a withdrawn consent do to referral data is
    declared in :mod:`lentera.web.referrals.identity` (``declare(...)`` and ``CONSENT_HOOKS``)
    and called explicitly by the cases app's services.
    """

    name = "lentera.web.referrals"
    label = "referrals"
    verbose_name = _("Referrals and services")
