from django.urls import path

from lentera.web.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("keepalive", views.keepalive, name="keepalive"),
]
