from django import template
from wagtail.models import Locale

from dateline.analytics.services import most_read, view_count

register = template.Library()


@register.inclusion_tag("analytics/most_read.html")
def most_read_block(section=None) -> dict:
    """The language's (or section's) most-read stories of the last day, else of the week."""
    locale = Locale.get_active()
    window = "24h"
    items = most_read(locale, section, window)
    if not items:
        window = "7d"
        items = most_read(locale, section, window)
    return {"items": items, "window": window, "section": section}


@register.simple_tag
def article_views(article) -> int:
    """The story's count as readers should see it, read on every view (never cached)."""
    return view_count(article)
