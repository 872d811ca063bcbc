"""The rows of core that appear on pages. news/events.py turns a change of any of them
(and of news' own authors and pages) into the one content-change event."""

from __future__ import annotations

from wagtail.models import Locale, PageViewRestriction, Site


def models_shown_on_pages() -> list[type]:
    """Things that are not pages but appear on them: saving or deleting one retires every
    cached fragment and page."""
    from taggit.models import Tag
    from wagtail.contrib.redirects.models import Redirect

    from .models import NewsImage, SiteSettings, SiteText

    # A page made private must stop being served from the cache at once.
    return [
        SiteSettings,
        SiteText,
        NewsImage,
        Tag,
        Locale,
        Site,
        Redirect,
        PageViewRestriction,
    ]
