from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from dateline.core import cached_fragments
from dateline.core.addresses import absolute
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
    return absolute(path)


# Django's catalogues name Armenian and Azerbaijani months as a calendar heading does
# (capitalised, nominative); a date in running text takes another form.
MONTHS_IN_DATES = {
    "hy": [
        "հունվարի",
        "փետրվարի",
        "մարտի",
        "ապրիլի",
        "մայիսի",
        "հունիսի",
        "հուլիսի",
        "օգոստոսի",
        "սեպտեմբերի",
        "հոկտեմբերի",
        "նոյեմբերի",
        "դեկտեմբերի",
    ],
    "az": [
        "yanvar",
        "fevral",
        "mart",
        "aprel",
        "may",
        "iyun",
        "iyul",
        "avqust",
        "sentyabr",
        "oktyabr",
        "noyabr",
        "dekabr",
    ],
}
YEAR_SUFFIX = {"hy": " թ."}


@register.filter
def news_datetime(value: datetime | None) -> str:
    """A publish time as a reader of the page's language writes it, in the site's zone."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    language = get_language()
    months = MONTHS_IN_DATES.get(language)
    if months is None:
        return date_format(value, "j E Y, H:i")
    suffix = YEAR_SUFFIX.get(language, "")
    return f"{value.day} {months[value.month - 1]} {value.year}{suffix}, {value:%H:%M}"


@register.filter
def machine_datetime(value: datetime | None) -> str:
    """A time for a `datetime` attribute: ISO 8601 to the second, with the offset of the
    site's zone. Django's "c" format keeps microseconds, and HTML allows at most three
    digits of a second, so the W3C checker rejects it."""
    if value is None:
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.simple_tag(takes_context=True)
def page_query(context: template.Context, number: int) -> str:
    """The current query string with another page number (a search's words and filters
    are kept)."""
    params = context["request"].GET.copy()
    params["page"] = number
    return params.urlencode()


@register.tag("fragment")
def fragment(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    return cached_fragments.parse(parser, token, per_page=False)


@register.tag("page_fragment")
def page_fragment(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    return cached_fragments.parse(parser, token, per_page=True)
