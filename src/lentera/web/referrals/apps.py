from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "lentera.web.referrals"
    label = "referrals"
    verbose_name = _("Referrals and services")

    def ready(self) -> None:
        from lentera.web.cases.rights import consent_withdrawn, person_anonymised
        from lentera.web.referrals.services import (
            scrub_referrals_of_person,
            withdraw_referral_data,
        )

        person_anonymised.connect(scrub_referrals_of_person, dispatch_uid="referrals-scrub")
        consent_withdrawn.connect(withdraw_referral_data, dispatch_uid="referrals-withdraw")
