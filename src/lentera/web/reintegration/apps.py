from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "lentera.web.reintegration"
    label = "reintegration"
    verbose_name = _("Reintegration and outcomes")

    def ready(self) -> None:
        # the snapshot source reads this app's models: registered once the registry is ready
        from lentera.web.core.snapshot_sources import register_app

        register_app(self, kind="plan", stamps="plan_stamps")
