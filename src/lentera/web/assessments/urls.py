from django.urls import path

from lentera.web.assessments import views
from lentera.web.core.routes import record_routes

app_name = "assessments"
urlpatterns = [
    *record_routes(views, "screening", "detail"),
    path("survivors/<int:link_id>/screening/", views.screening_form, name="screening_form"),
    path("survivors/<int:link_id>/legal/", views.legal_analysis, name="legal"),
    path("survivors/<int:link_id>/status/", views.trafficking_status_update, name="status_update"),
    path("survivors/<int:link_id>/memo.<str:fmt>", views.memo_download, name="memo"),
]
