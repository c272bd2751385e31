from django.urls import path

from lentera.web.core.routes import main_routes, page_routes, record_routes
from lentera.web.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sent/", views.referral_list, name="list"),
    *page_routes(views, "inbox", "notifications"),
    *main_routes(views, "referral", "detail", "follow_up"),
    path("<int:referral_id>/status/", views.referral_transition, name="transition"),
    path("<int:referral_id>/letter.<str:fmt>", views.referral_letter, name="letter"),
    path("survivors/<int:link_id>/new/", views.referral_new, name="new"),
    path("survivors/<int:link_id>/plan/", views.support_plan, name="plan"),
    path("actions/<int:action_id>/", views.support_action_edit, name="action_edit"),
    path(
        "actions/<int:action_id>/follow-up/",
        views.support_action_follow_up,
        name="action_follow_up",
    ),
    path("cases/<int:case_id>/legal-process/", views.legal_process, name="legal_process"),
    *record_routes(views, "legal_step", "delete", plural="legal-steps", key="step_id"),
    path("directory/", views.directory_list, name="directory"),
    path("directory/new/", views.provider_edit, name="provider_new"),
    path("directory/<int:provider_id>/", views.provider_edit, name="provider_edit"),
    path("directory/import/", views.directory_import, name="directory_import"),
    path("directory/template.<str:fmt>", views.directory_template, name="directory_template"),
    path("directory/export.csv", views.directory_export, name="directory_export"),
    path("notifications/<int:notification_id>/", views.notification_open, name="notification"),
]
