from lentera.web.assessments import views
from lentera.web.core.routes import record_routes, table_routes

app_name = "assessments"
urlpatterns = [
    *record_routes(views, "screening", "detail"),
    *table_routes(
        views,
        """
        screening/      screening_form
        legal/          legal_analysis              legal
        status/         trafficking_status_update   status_update
        memo.<str:fmt>  memo_download               memo
        """,
        prefix="survivors/<int:link_id>/",
    ),
]
