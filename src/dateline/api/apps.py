from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dateline.api"
    label = "dateline_api"
    verbose_name = "Content API"
