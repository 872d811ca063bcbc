from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dateline.core"
    label = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        from . import fragments, newsroom_time

        fragments.keep_site_root_paths_per_request_generation()
        newsroom_time.follow_the_site_time_zone()
        from django.core import signals
        from django.core.cache import close_caches

        signals.request_finished.disconnect(close_caches)
