from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "lentera.web.reintegration"
    label = "reintegration"
    verbose_name = _("Reintegration and outcomes")

    def ready(self) -> None:
        # the snapshot rows read this app's models, loaded only once the registry is ready
        from lentera.web.core.snapshot_sources import register
        from lentera.web.reintegration.selectors import plan_stamps
        from lentera.web.reintegration.snapshot import snapshot_rows

        register(self.label, kind="plan", rows=snapshot_rows, stamps=plan_stamps)
