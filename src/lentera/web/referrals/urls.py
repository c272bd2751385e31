from lentera.web.core.routes import main_routes, page_routes, record_routes, table_routes
from lentera.web.referrals import views

app_name = "referrals"
urlpatterns = [
    *table_routes(
        views,
        """
        .       dashboard
        sent/   referral_list   list
        """,
    ),
    *page_routes(views, "inbox", "notifications"),
    *main_routes(views, "referral", "detail", "follow_up"),
    *table_routes(
        views,
        """
        <int:referral_id>/status/               referral_transition         transition
        <int:referral_id>/letter.<str:fmt>      referral_letter             letter
        survivors/<int:link_id>/new/            referral_new                new
        survivors/<int:link_id>/plan/           support_plan                plan
        actions/<int:action_id>/                support_action_edit         action_edit
        actions/<int:action_id>/follow-up/      support_action_follow_up    action_follow_up
        cases/<int:case_id>/legal-process/      legal_process
        """,
    ),
    *record_routes(views, "legal_step", "delete", plural="legal-steps", key="step_id"),
    *table_routes(
        views,
        """
        .                           directory_list      directory
        new/                        provider_edit       provider_new
        <int:provider_id>/          provider_edit       provider_edit
        import/                     directory_import
        template.<str:fmt>          directory_template
        export.csv                  directory_export
        """,
        prefix="directory/",
    ),
    *table_routes(views, "notifications/<int:notification_id>/ notification_open notification"),
]
