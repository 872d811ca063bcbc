"""Every kind of content change raises the one event, with the languages it reaches, and
what keeps copies (fragments, pages, feeds and sitemaps) follows it."""

from __future__ import annotations

import feedparser
import pytest
from taggit.models import Tag
from wagtail.models import Locale, PageViewRestriction

from dateline.core.models import NewsImage, SiteSettings
from dateline.feeds.cache import generation as feed_generation
from dateline.news import events, services
from dateline.news.models import ArticlePage, Author

# The feed generations live in the cache: engine-dependent.
pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture
def raised():
    """The changes raised while the test runs."""
    changes: list[events.ContentChange] = []

    def listen(sender, change, **kwargs) -> None:
        changes.append(change)

    events.content_changed.connect(listen, dispatch_uid="test-events")
    yield changes
    events.content_changed.disconnect(dispatch_uid="test-events")


def kinds(changes) -> list[str]:
    return [change.kind for change in changes]


def new_story(section, slug: str = "event-story") -> ArticlePage:
    return services.create_article(section, title="An event story", slug=slug, standfirst="x")


def test_a_publish_is_one_story_change_in_its_language(raised, world):
    story = new_story(world)
    published = [change for change in raised if change.kind == events.PUBLISHED]
    assert [change.pages[0].pk for change in published] == [story.pk]
    assert published[0].languages == ("en",)
    assert published[0].structure is False


def test_unpublish_move_and_delete_are_raised(raised, world):
    story = new_story(world)
    raised.clear()
    story.unpublish()
    assert kinds(raised) == [events.UNPUBLISHED]
    raised.clear()
    story.move(world.get_siblings().get(slug="sport"), pos="last-child")
    assert events.MOVED in kinds(raised)
    raised.clear()
    ArticlePage.objects.get(pk=story.pk).delete()
    assert events.DELETED in kinds(raised)
    # (Wagtail also deletes the redirect it made on the move: a change of its own.)
    assert [change.languages for change in raised if change.pages] == [("en",)]


def test_a_section_change_reaches_the_frame_of_every_page(raised, world):
    world.title = "World news"
    services.publish(world)
    assert raised[-1].kind == events.PUBLISHED and raised[-1].structure is True


@pytest.mark.parametrize(
    "change, kind, languages",
    [
        (lambda: SiteSettings.load().save(), events.SETTINGS, None),
        (lambda: Tag.objects.create(name="brand-new-tag", slug="brand-new-tag"), events.TAG, None),
        (lambda: NewsImage.objects.first().save(), events.IMAGE, None),
        (
            lambda: Author.objects.filter(locale__language_code="ru").first().save(),
            events.AUTHOR,
            ("ru",),
        ),
    ],
    ids=["settings", "tag", "picture", "author"],
)
def test_rows_shown_on_pages_are_changes_too(raised, change, kind, languages):
    change()
    assert kinds(raised) == [kind]
    assert raised[0].languages == languages
    assert raised[0].structure is True
    assert raised[0].pages == ()


def test_a_page_made_private_is_a_change(raised, article):
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert kinds(raised) == [events.PRIVACY]


def test_a_change_in_russian_keeps_the_english_feeds(world):
    english, russian = feed_generation("en"), feed_generation("ru")
    new_story(world.get_translation(Locale.objects.get(language_code="ru")), "only-in-russian")
    assert feed_generation("ru") != russian
    assert feed_generation("en") == english


def feed(client, path: str):
    return feedparser.parse(client.get(path).content)


def test_renaming_the_site_renames_every_cached_feed_at_once(client):
    assert feed(client, "/en/rss.xml").feed.title  # now cached
    texts = SiteSettings.load().texts_for("en")
    texts.site_name = "The Renamed Courier"
    texts.save()
    assert feed(client, "/en/rss.xml").feed.title == "The Renamed Courier"
    assert feed(client, "/en/world/rss.xml").feed.title.endswith("The Renamed Courier")


def test_renaming_an_author_renames_the_byline_in_the_cached_feed(client, article):
    entries = feed(client, "/en/world/rss.xml").entries
    author = article.bylines.first().author
    assert author.name in [entry.get("author") for entry in entries]
    author.name = "Renamed Reporter"
    author.save()
    entries = feed(client, "/en/world/rss.xml").entries
    assert any("Renamed Reporter" in entry.get("author", "") for entry in entries)


def test_a_feed_generation_lost_by_the_cache_never_brings_old_copies_back(client, world):
    """The file cache's incr restarts a counter from 1 once it expires; a token does not."""
    from django.core.cache import cache

    before = feed_generation("en")
    story = new_story(world, "after-the-loss")
    cache.delete("feeds:generation-token:en")  # expired, or evicted
    assert feed_generation("en") not in {before, "1", "2"}
    links = [entry.link for entry in feed(client, "/en/rss.xml").entries]
    assert any(link.endswith(story.url) for link in links)


def test_an_old_process_counter_in_the_cache_does_not_disturb_the_feeds(client, world):
    """During a rolling upgrade, processes of the previous release still increment their
    counter under the old key: the tokens live elsewhere."""
    from django.core.cache import cache

    cache.set("feeds:generation:en", 7, timeout=None)
    story = new_story(world, "during-the-upgrade")
    cache.incr("feeds:generation:en")  # what an old process does on a publish
    links = [entry.link for entry in feed(client, "/en/rss.xml").entries]
    assert any(link.endswith(story.url) for link in links)
