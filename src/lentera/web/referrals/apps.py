from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "lentera.web.referrals"
    label = "referrals"
    verbose_name = _("Referrals and services")

    def ready(self) -> None:
        from lentera.web.cases.rights import consent_withdrawn
        from lentera.web.referrals.services import withdraw_referral_data

        # anonymisation erases referrals through lentera.web.referrals.identity
        consent_withdrawn.connect(withdraw_referral_data, dispatch_uid="referrals-withdraw")
