from django.urls import path

from lentera.web.core.routes import main_routes, page_routes
from lentera.web.releases import hub, views

app_name = "releases"
urlpatterns = [
    *main_routes(views, "release", "list", "decide", "download"),
    *page_routes(views, "budget"),
    path("hub/", hub.hub_dashboard, name="hub"),
]
