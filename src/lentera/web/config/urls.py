"""URL configuration."""

from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("lentera.web.accounts.urls")),
    path("cases/", include("lentera.web.cases.urls")),
    path("assessments/", include("lentera.web.assessments.urls")),
    path("referrals/", include("lentera.web.referrals.urls")),
    path("insights/", include("lentera.web.insights.urls")),
    path("releases/", include("lentera.web.releases.urls")),
    path("imports/", include("lentera.web.imports.urls")),
    path("reintegration/", include("lentera.web.reintegration.urls")),
    path("audit/", include("lentera.web.audit.urls")),
    path("jobs/", include("lentera.web.jobs.urls")),
    path("api/", include("lentera.web.api.urls")),
    # contact log, prevention outreach, report builder
    path("contacts/", include("lentera.web.contacts.urls")),
    path("outreach/", include("lentera.web.outreach.urls")),
    path("reports/", include("lentera.web.reporting.urls")),
    path("", include("lentera.web.core.urls")),
]

handler400 = "lentera.web.core.views.error_400"
handler403 = "lentera.web.core.views.error_403"
handler404 = "lentera.web.core.views.error_404"
handler500 = "lentera.web.core.views.error_500"

if settings.DEBUG:  # pragma: no cover
    pass
