from django.urls import path

from lentera.web.core.routes import page_routes, record_routes
from lentera.web.reintegration import views

app_name = "reintegration"
urlpatterns = [
    path("", views.due, name="due"),
    path("persons/<int:person_id>/", views.person_plan, name="person"),
    *record_routes(views, "plan", "detail", "edit"),
    path("plans/<int:plan_id>/departure/", views.departure_new, name="departure"),
    path("actions/<int:plan_action_id>/", views.action_edit, name="action_edit"),
    path("followups/<int:followup_id>/", views.followup_edit, name="followup"),
    path("followups/<int:followup_id>/survey/", views.score_form, name="score"),
    *page_routes(views, "outcomes", "settings", "import", view="{}_page"),
]
