from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "dateline.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .admin import add_view_count_column
        from .panels import add_view_count_panel

        # Counts show in the newsroom without news knowing about them.
        add_view_count_panel()
        add_view_count_column()
