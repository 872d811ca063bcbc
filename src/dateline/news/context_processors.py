"""The navigation that every page's header shows: the language's home and sections."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from dateline.core import fragments


def _navigation(language: str) -> dict:
    from .models import HomePage

    home = HomePage.objects.live().filter(locale__language_code=language).first()
    return {"home": home, "sections": list(home.sections()) if home else []}


def navigation(request: HttpRequest) -> dict:
    language = get_language()
    return {
        "navigation": SimpleLazyObject(
            lambda: fragments.remembered_structure(
                ("navigation", language), lambda: _navigation(language)
            )
        )
    }
