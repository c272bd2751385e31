from django.urls import path

from lentera.web.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_edit, name="new"),
    path("map/", views.where_next, name="map"),
    path("<int:activity_id>/", views.activity_edit, name="edit"),
    path("<int:activity_id>/delete/", views.activity_delete, name="delete"),
]
