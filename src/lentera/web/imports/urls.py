from django.urls import path

from lentera.web.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_upload, name="upload"),
    path("kobo/", views.import_kobo, name="kobo"),
    path("template/<str:fmt>.<str:ext>", views.template_download, name="template"),
    path("xlsform.xlsx", views.xlsform_download, name="xlsform"),
]
