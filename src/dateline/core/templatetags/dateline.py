from django import template
from django.conf import settings
from django.utils.translation import get_language

from dateline.core.i18n import language_links, page_translation_urls

register = template.Library()


@register.inclusion_tag("core/language_switcher.html", takes_context=True)
def language_switcher(context: template.Context) -> dict:
    """Links to this page in every site language: views may put `translation_urls` in the
    context; Wagtail pages are looked up; anything else falls back to each home page."""
    urls = context.get("translation_urls")
    page = context.get("page")
    if urls is None and page is not None and getattr(page, "pk", None):
        urls = page_translation_urls(page)
    return {"languages": language_links(get_language(), urls or {})}


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


@register.simple_tag
def canonical_url(path: str) -> str:
    """The public address of a path, from DATELINE_BASE_URL, whatever host was asked."""
    return settings.DATELINE_BASE_URL.rstrip("/") + path
