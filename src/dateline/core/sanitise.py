"""Rich text from outside the editor (imports, the API, commands) is cleaned with nh3
before it is stored. The editor cleans its own input; everything else comes here."""

from __future__ import annotations

import nh3

# What the article editor can produce (news.blocks.RICH_TEXT_FEATURES), and no more.
ALLOWED_TAGS = {
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "a",
    "ol",
    "ul",
    "li",
    "h2",
    "h3",
    "blockquote",
}
# `linktype` and `id` are how Wagtail stores a link to one of its own pages.
ALLOWED_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_html(html: str) -> str:
    """Keep the editor's tags and safe links; drop scripts, styles, event handlers,
    `javascript:` URLs and every other tag (their text is kept, escaped)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
