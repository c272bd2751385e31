from django.urls import path

from lentera.web.core.routes import main_routes
from lentera.web.outreach import views

app_name = "outreach"
urlpatterns = [
    *main_routes(views, "activity", "list", "delete"),
    path("new/", views.activity_edit, name="new"),
    path("map/", views.where_next, name="map"),
    path("<int:activity_id>/", views.activity_edit, name="edit"),
]
