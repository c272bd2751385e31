from django.urls import path

from lentera.web.releases import hub, views

app_name = "releases"
urlpatterns = [
    path("", views.release_list, name="list"),
    path("<int:release_id>/decide/", views.release_decide, name="decide"),
    path("<int:release_id>/download/", views.release_download, name="download"),
    path("budget/", views.budget, name="budget"),
    path("hub/", hub.hub_dashboard, name="hub"),
]
