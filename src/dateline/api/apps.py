from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dateline.api"
    label = "dateline_api"
    verbose_name = "Content API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals

        signals.connect()
