from django.urls import path

from lentera.web.assessments import views

app_name = "assessments"
urlpatterns = [
    path("survivors/<int:link_id>/screening/", views.screening_form, name="screening_form"),
    path("screenings/<int:screening_id>/", views.screening_detail, name="screening"),
    path("survivors/<int:link_id>/legal/", views.legal_analysis, name="legal"),
    path("survivors/<int:link_id>/status/", views.trafficking_status_update, name="status_update"),
    path("survivors/<int:link_id>/memo.<str:fmt>", views.memo_download, name="memo"),
]
