from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "lentera.web.contacts"
    label = "contacts"
    verbose_name = _("Contacts and hotline")

    def ready(self) -> None:
        # the snapshot rows read this app's models, loaded only once the registry is ready
        from lentera.web.contacts.selectors import contact_stamps, home_panel
        from lentera.web.contacts.snapshot import snapshot_rows
        from lentera.web.core import home_panels
        from lentera.web.core.snapshot_sources import register

        register(self.label, kind="contact", rows=snapshot_rows, stamps=contact_stamps)
        home_panels.register(self.label, home_panel)
