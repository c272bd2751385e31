from django.urls import path

from lentera.web.core import views
from lentera.web.core.routes import page_routes

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    *page_routes(views, "healthz", "ping", "keepalive", slash=""),
]
