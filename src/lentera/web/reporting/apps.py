from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lentera.web.reporting"
    label = "reporting"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from lentera.web.reporting import jobs  # noqa: F401  (registers the report_build job)
