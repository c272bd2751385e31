from django.urls import path

from lentera.web.core.routes import main_routes
from lentera.web.jobs import views

app_name = "jobs"
urlpatterns = [
    *main_routes(views, "job", "list", "detail", "retry"),
    path("<int:job_id>/files/<str:name>", views.job_file, name="file"),
]
