"""RSS 2.0 feeds: the latest stories of a language, a section, a tag or an author, and
the updates of a live blog."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from wagtail.images import get_image_model

from dateline.core.addresses import absolute, page_path
from dateline.core.images import FEED_SPEC, rendition
from dateline.core.templatetags.dateline import news_datetime
from dateline.news.models import ArticlePage, Author, LiveBlogPage, SectionPage
from dateline.news.queries import body_html, bylines


class NewsFeed(Rss201rev2Feed):
    """RSS 2.0 with the lead picture as Media RSS and, when enabled, the full text."""

    def rss_attributes(self) -> dict:
        attributes = super().rss_attributes()
        attributes["xmlns:media"] = "http://search.yahoo.com/mrss/"
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attributes

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        media = item.get("media")
        if media:
            handler.addQuickElement("media:content", "", media)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


@dataclass
class FeedSource:
    """What one feed shows: its title, description, page address and stories."""

    title: str
    description: str
    link: str
    articles: QuerySet[ArticlePage]


def feed_articles(articles: QuerySet[ArticlePage]) -> list[ArticlePage]:
    images = get_image_model().objects.prefetch_renditions(FEED_SPEC)
    return list(
        articles.select_related("locale")
        .prefetch_related(
            Prefetch("lead_image", queryset=images),
            "tags",
            "corrections",
        )
        .order_by("-first_published_at", "-pk")[: settings.DATELINE_FEED_ITEMS]
    )


def build_feed(source: FeedSource, feed_path: str, language: str) -> bytes:
    feed = NewsFeed(
        title=source.title,
        link=source.link,
        description=source.description or source.title,
        language=language,
        feed_url=absolute(feed_path),
        ttl="15",
    )
    articles = feed_articles(source.articles)
    sections = {
        section.path: section.title
        for section in SectionPage.objects.filter(
            path__in={article.path[: -SectionPage.steplen] for article in articles}
        )
    }
    authors = bylines(articles)
    for article in articles:
        feed.add_item(**item_fields(article, sections, language, authors[article.pk]))
    return feed.writeString("utf-8").encode("utf-8")


def item_fields(
    article: ArticlePage, sections: dict[str, str], language: str, authors: list[Author]
) -> dict:
    link = absolute(page_path(article.url_path, language))
    section = sections.get(article.path[: -SectionPage.steplen])
    categories = ([section] if section else []) + [tag.name for tag in article.tags.all()]
    fields = {
        "title": article.title,
        "link": link,
        "description": " ".join(
            [article.search_description or article.standfirst, *correction_lines(article)]
        ),
        "author_name": ", ".join(author.name for author in authors) or None,
        "pubdate": article.first_published_at,
        "updateddate": article.last_published_at,
        "unique_id": link,
        "unique_id_is_permalink": True,
        "categories": categories,
    }
    picture = rendition(article.lead_image, FEED_SPEC)
    if picture is not None:
        url = absolute(picture.url) if picture.url.startswith("/") else picture.url
        mime_type = picture.file.name.rsplit(".", 1)[-1].lower()
        mime_type = "image/" + {"jpg": "jpeg"}.get(mime_type, mime_type)
        try:
            length = str(picture.file.size)
        except OSError:
            length = "0"
        fields["enclosures"] = [Enclosure(url, length, mime_type)]
        fields["media"] = {
            "url": url,
            "medium": "image",
            "type": mime_type,
            "width": str(picture.width),
            "height": str(picture.height),
        }
    if settings.DATELINE_FEED_FULL_TEXT:
        notes = "".join(f"<p><em>{escape(line)}</em></p>" for line in correction_lines(article))
        fields["content_html"] = body_html(article) + notes
    return fields


def correction_lines(article: ArticlePage) -> list[str]:
    """Each correction as a reader of the feed sees it, in the feed's language."""
    return [
        f"{correction.get_kind_display()} ({news_datetime(correction.noted_at)}): {correction.text}"
        for correction in article.shown_corrections
    ]


def build_live_blog_feed(blog: LiveBlogPage, feed_path: str, language: str) -> bytes:
    """The blog's newest updates, newest first, each linking to its place on the page."""
    from wagtail.rich_text import expand_db_html

    link = absolute(page_path(blog.url_path, language))
    feed = NewsFeed(
        title=blog.title,
        link=link,
        description=blog.standfirst or blog.title,
        language=language,
        feed_url=absolute(feed_path),
        ttl="1" if blog.is_covering else "60",
    )
    for update in blog.newest_updates(settings.DATELINE_FEED_ITEMS):
        update_link = f"{link}#update-{update.pk}"
        feed.add_item(
            title=update.headline or update.summary(110),
            link=update_link,
            description=update.summary(1000),
            author_name=update.byline or None,
            pubdate=update.posted_at,
            updateddate=update.revised_at or update.posted_at,
            unique_id=update_link,
            unique_id_is_permalink=True,
            content_html=expand_db_html(update.body),
        )
    return feed.writeString("utf-8").encode("utf-8")
