from django.urls import path

from lentera.web.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:job_id>/", views.job_detail, name="detail"),
    path("<int:job_id>/retry/", views.job_retry, name="retry"),
    path("<int:job_id>/files/<str:name>", views.job_file, name="file"),
]
