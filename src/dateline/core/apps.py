from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dateline.core"
    label = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        from . import signals  # noqa: F401
