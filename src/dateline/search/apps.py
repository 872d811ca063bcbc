from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "dateline.search"
    label = "dateline_search"
    verbose_name = "Search"

    def ready(self) -> None:
        from . import signals

        signals.connect()
