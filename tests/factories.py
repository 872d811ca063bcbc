"""Stories for tests, written through news/services.py like every other write, with
defaults for what a test does not care about."""

from __future__ import annotations

from dateline.news import services
from dateline.news.models import ArticlePage, SectionPage


def story(
    section: SectionPage,
    slug: str = "a-story",
    *,
    title: str = "",
    standfirst: str = "A standfirst.",
    text: str = "",
    publish: bool = True,
    **fields,
) -> ArticlePage:
    """A story in `section` (published unless `publish` is False), titled after its slug
    unless a title is given; `text` becomes its one paragraph."""
    return services.create_article(
        section,
        title=title or slug.replace("-", " ").capitalize(),
        slug=slug,
        standfirst=standfirst,
        paragraphs=[text] if text else (),
        publish_now=publish,
        **fields,
    )
