from django.urls import path

from lentera.web.contacts import views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.contact_new, name="new"),
    path("<int:contact_id>/", views.contact_detail, name="detail"),
    path("<int:contact_id>/edit/", views.contact_edit, name="edit"),
    path("<int:contact_id>/close/", views.contact_close, name="close"),
    path("<int:contact_id>/case/", views.contact_convert, name="convert"),
]
