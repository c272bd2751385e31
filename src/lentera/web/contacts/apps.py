from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "lentera.web.contacts"
    label = "contacts"
    verbose_name = _("Contacts and hotline")

    def ready(self) -> None:
        # the snapshot source and the home panel read this app's models: registered only once
        # the registry is ready
        from lentera.web.contacts.selectors import home_panel
        from lentera.web.core import home_panels
        from lentera.web.core.snapshot_sources import register_app

        register_app(self, kind="contact", stamps="contact_stamps")
        home_panels.register(self.label, home_panel)
