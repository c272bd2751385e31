from django.urls import path

from lentera.web.contacts import views
from lentera.web.core.routes import main_routes

app_name = "contacts"
urlpatterns = [
    *main_routes(views, "contact", "list", "new", "detail", "edit", "close"),
    path("<int:contact_id>/case/", views.contact_convert, name="convert"),
]
