from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "lentera.web.reintegration"
    label = "reintegration"
    verbose_name = _("Reintegration and outcomes")
