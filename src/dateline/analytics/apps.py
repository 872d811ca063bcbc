from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "dateline.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from . import signals  # noqa: F401
