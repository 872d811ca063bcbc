from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "dateline.news"
    label = "news"
    verbose_name = "News"

    def ready(self) -> None:
        from . import events

        # Before any app above news connects its own receivers: a change retires the
        # shared fragments first, and those apps may read through them (search reads the
        # remembered "is any page private" answer).
        events.connect()
