from django.urls import path

from lentera.web.core.routes import page_routes
from lentera.web.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    *page_routes(views, "refresh"),
    path("report.<str:fmt>", views.report, name="report"),
]
