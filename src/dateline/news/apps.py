from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "dateline.news"
    label = "news"
    verbose_name = "News"

    def ready(self) -> None:
        from dateline.core.signals import show_on_pages

        from .models import Author

        show_on_pages(Author)  # bylines are on story pages and in listings
