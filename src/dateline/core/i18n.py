"""Where the language switcher leads: the same content in the other language, or its home."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page


def home_url(language: str) -> str:
    with translation.override(language):
        return reverse("wagtail_serve", args=[""])


def page_translation_urls(page: Page) -> dict[str, str]:
    """URL of each live translation of the page (itself included), by language code."""
    return {
        translation_page.locale.language_code: translation_page.url
        for translation_page in page.get_translations(inclusive=True)
        .live()
        .select_related("locale")
        if translation_page.url
    }


def language_links(current: str, translation_urls: dict[str, str]) -> list[dict]:
    """One entry per site language, pointing at the translation or that language's home."""
    return [
        {
            "code": code,
            "name": name,
            "url": translation_urls.get(code) or home_url(code),
            "is_current": code == current,
            "is_translation": code in translation_urls,
        }
        for code, name in settings.LANGUAGES
    ]
