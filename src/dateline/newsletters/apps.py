from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "dateline.newsletters"
    label = "newsletters"
    verbose_name = _("Newsletters")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (breaking alerts, bounces and complaints)
