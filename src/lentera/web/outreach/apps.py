from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "lentera.web.outreach"
    label = "outreach"
    verbose_name = _("Prevention outreach")

    def ready(self) -> None:
        # the snapshot rows read this app's models, loaded only once the registry is ready
        from lentera.web.core.snapshot_sources import register
        from lentera.web.outreach.selectors import activity_stamps
        from lentera.web.outreach.snapshot import snapshot_rows

        register(self.label, kind="activity", rows=snapshot_rows, stamps=activity_stamps)
