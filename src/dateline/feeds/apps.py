from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "dateline.feeds"
    label = "feeds"
    verbose_name = _("Feeds and sitemaps")

    def ready(self) -> None:
        from . import signals

        signals.connect()
