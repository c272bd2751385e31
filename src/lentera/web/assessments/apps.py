from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "lentera.web.assessments"
    label = "assessments"
    verbose_name = "Assessments"
