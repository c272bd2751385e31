from django.urls import path

from lentera.web.core.routes import page_routes
from lentera.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_upload, name="upload"),
    *page_routes(views, "kobo", view="import_{}"),
    path("template/<str:fmt>.<str:ext>", views.template_download, name="template"),
    path("xlsform.xlsx", views.xlsform_download, name="xlsform"),
]
