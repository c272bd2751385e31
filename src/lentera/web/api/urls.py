from django.urls import path

from lentera.web.api.api import api

urlpatterns = [path("", api.urls)]
