from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "lentera.web.outreach"
    label = "outreach"
    verbose_name = _("Prevention outreach")

    def ready(self) -> None:
        # the snapshot source reads this app's models: registered once the registry is ready
        from lentera.web.core.snapshot_sources import register_app

        register_app(self, kind="activity", stamps="activity_stamps")
