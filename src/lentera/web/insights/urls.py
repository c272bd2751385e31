from django.urls import path

from lentera.web.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh, name="refresh"),
    path("report.<str:fmt>", views.report, name="report"),
]
