from django.urls import path

from lentera.web.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.builder, name="builder"),
    path("templates/new/", views.template_new, name="template_new"),
    path("<int:report_id>/download/", views.download, name="download"),
]
