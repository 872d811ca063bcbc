from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebAppConfig(AppConfig):
    name = "dateline.webapp"
    label = "webapp"
    verbose_name = _("Installable site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
