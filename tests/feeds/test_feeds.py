"""RSS feeds per language, section, tag and author, as feed readers parse them."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.images import get_image_model
from wagtail.models import Locale

from dateline.news import services
from dateline.news.models import Author, SectionPage, published_articles

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "hy", "az"]


def absolute(path: str) -> str:
    return settings.DATELINE_BASE_URL.rstrip("/") + path


def parse(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    return feed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_feed_lists_the_latest_stories_of_that_language(client, lang):
    feed = parse(client, f"/{lang}/rss.xml")
    locale = Locale.objects.get(language_code=lang)
    expected = list(published_articles(locale)[:50])
    assert feed.feed.language == lang
    assert [entry.link for entry in feed.entries] == [absolute(a.url) for a in expected]
    assert 0 < len(feed.entries) <= 50


def test_a_feed_holds_at_most_fifty_items(client, world, settings):
    settings.DATELINE_FEED_ITEMS = 3
    assert len(parse(client, "/en/rss.xml").entries) == 3
    assert len(parse(client, "/en/world/rss.xml").entries) == 3


def test_an_item_carries_everything_a_feed_reader_shows(client, article):
    feed = parse(client, "/en/world/rss.xml")
    entry = feed.entries[0]
    assert entry.title == article.title
    assert entry.link == absolute(article.url)
    assert entry.id == absolute(article.url)
    assert entry.summary == article.standfirst
    assert entry.published_parsed[:5] == article.first_published_at.utctimetuple()[:5]
    assert entry.author == ", ".join(author.name for author in article.authors())
    categories = [tag.term for tag in entry.tags]
    assert categories[0] == "World"
    assert set(categories[1:]) == {tag.name for tag in article.tags.all()}
    enclosure = entry.enclosures[0]
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith(absolute("/media/"))
    assert int(enclosure.length) > 0
    assert entry.media_content[0]["url"] == enclosure.href
    assert entry.media_content[0]["width"] == "1200"
    assert "content" not in entry  # the full text only when the operator enables it


def test_the_full_text_is_in_the_feed_when_the_operator_enables_it(client, article, settings):
    settings.DATELINE_FEED_FULL_TEXT = True
    entry = parse(client, "/en/world/rss.xml").entries[0]
    first_paragraph = article.body[0].value.source
    assert first_paragraph[3:40] in entry.content[0].value


def test_full_text_pictures_load_in_a_feed_reader(client, article, settings):
    """Feed readers show the text away from the site: every address must be absolute, and
    the page's own markup (block wrappers, responsive picture sets) stays on the page."""
    settings.DATELINE_FEED_FULL_TEXT = True
    image = get_image_model().objects.first()
    blocks = [(block.block_type, block.value) for block in article.body]
    article.body = [("figure", {"image": image, "caption": "The quay"}), *blocks]
    services.publish(article)
    full_text = parse(client, "/en/world/rss.xml").entries[0].content[0].value
    figure = BeautifulSoup(full_text, "html.parser").figure
    assert figure.img["src"].startswith(absolute("/media/"))
    assert "srcset" not in full_text and "class=" not in full_text
    assert figure.figcaption.get_text() == "The quay"


def test_section_feed_holds_only_that_section(client, world):
    feed = parse(client, "/ru/world/rss.xml")
    russian_world = world.get_translation(Locale.objects.get(language_code="ru"))
    assert feed.feed.link == absolute(russian_world.url)
    expected = [absolute(a.url) for a in russian_world.specific.articles()[:50]]
    assert [entry.link for entry in feed.entries] == expected


def test_tag_feed_holds_the_stories_with_that_tag(client, article):
    tag = article.tags.first()
    feed = parse(client, f"/en/tags/{tag.slug}/rss.xml")
    links = [entry.link for entry in feed.entries]
    assert absolute(article.url) in links
    tagged = published_articles(article.locale).filter(tagged_items__tag=tag).distinct()
    assert len(links) == min(50, tagged.count())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_author_feed_holds_the_authors_stories_in_that_language(client, article, lang):
    author = article.bylines.first().author
    feed = parse(client, f"/{lang}/authors/{author.slug}/rss.xml")
    locale = Locale.objects.get(language_code=lang)
    expected = (
        published_articles(locale)
        .filter(bylines__author__translation_key=author.translation_key)
        .distinct()
    )
    assert [entry.link for entry in feed.entries] == [absolute(a.url) for a in expected[:50]]
    shown = Author.objects.filter(translation_key=author.translation_key, locale=locale).first()
    assert feed.feed.title.startswith((shown or author).name)


@pytest.mark.parametrize(
    "path",
    ["/en/no-such-section/rss.xml", "/en/tags/no-such-tag/rss.xml", "/en/authors/nobody/rss.xml"],
)
def test_unknown_feeds_are_404(client, path):
    assert client.get(path).status_code == 404


def test_an_unpublished_story_leaves_the_feed(client, article):
    assert parse(client, "/en/world/rss.xml").entries[0].link == absolute(article.url)
    article.unpublish()
    links = [entry.link for entry in parse(client, "/en/world/rss.xml").entries]
    assert absolute(article.url) not in links


def test_a_newly_published_story_enters_the_cached_feed(client, world):
    parse(client, "/en/rss.xml")  # now cached
    services.create_article(
        world,
        title="Harbour reopens after the storm",
        slug="harbour-reopens",
        standfirst="Ships are moving again.",
    )
    assert parse(client, "/en/rss.xml").entries[0].title == "Harbour reopens after the storm"


def test_a_section_page_is_still_served_next_to_its_feed(client, world):
    assert client.get(world.url).status_code == 200
    assert isinstance(world, SectionPage)
