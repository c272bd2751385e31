from lentera.web.core.routes import page_routes, record_routes, table_routes
from lentera.web.reintegration import views

app_name = "reintegration"
urlpatterns = [
    *table_routes(
        views,
        """
        .                               due
        persons/<int:person_id>/        person_plan     person
        """,
    ),
    *record_routes(views, "plan", "detail", "edit"),
    *table_routes(
        views,
        """
        plans/<int:plan_id>/departure/          departure_new   departure
        actions/<int:plan_action_id>/           action_edit
        followups/<int:followup_id>/            followup_edit   followup
        followups/<int:followup_id>/survey/     score_form      score
        """,
    ),
    *page_routes(views, "outcomes", "settings", "import", view="{}_page"),
]
