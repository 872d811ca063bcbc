"""Polling sources into Incoming, and making drafts: what an editor finds after each
poll, including when a source misbehaves."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.core.models import NewsImage
from dateline.ingest import services
from dateline.ingest.models import IncomingItem, ItemState, Source, SourceFormat
from dateline.ingest.tasks import poll_due_sources
from dateline.news.models import ArticlePage

from .conftest import fixture, jpeg, sample

pytestmark = pytest.mark.django_db

RSS_ITEM = """<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>
<description>{text}</description>{extra}</item>"""


def rss(*items: str, language: str = "en") -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">'
        f"<channel><title>T</title><language>{language}</language>{''.join(items)}"
        "</channel></rss>"
    )


def item(n: int, **fields) -> str:
    values = {
        "title": f"Story number {n}",
        "link": f"https://wire.example.org/{n}",
        "guid": f"guid-{n}",
        "text": f"Text of story {n}.",
        "extra": "",
    }
    return RSS_ITEM.format(**{**values, **fields})


def test_a_feed_poll_fills_incoming_and_records_success(wire, feed_source):
    wire.serve("/feed.rss", sample("harbour-wire.rss"))
    source = feed_source()
    result = services.poll(source)
    source.refresh_from_db()
    assert len(result.new) == 3 and not result.error
    assert source.last_success_at is not None and source.last_error == ""
    assert source.next_poll_at > timezone.now() + timedelta(minutes=14)
    assert IncomingItem.objects.filter(source=source, state=ItemState.NEW).count() == 3


def test_an_unchanged_feed_costs_one_conditional_request(wire, feed_source):
    wire.serve("/feed.rss", sample("harbour-wire.rss"), etag='"v1"')
    source = feed_source()
    services.poll(source)
    source.refresh_from_db()
    result = services.poll(source)
    assert result.not_modified and result.new == []
    asked = wire.asked("/feed.rss")
    assert len(asked) == 2 and asked[1]["If-None-Match"] == '"v1"'


def test_the_same_story_is_taken_once_across_sources(wire, feed_source):
    wire.serve("/a.rss", rss(item(1), item(2)))
    # Same guid, same link, and same text under another guid and link.
    wire.serve(
        "/b.rss",
        rss(
            item(1, link="https://elsewhere.example.org/x"),
            item(7, link="https://wire.example.org/2"),
            item(
                9,
                guid="other",
                link="https://o.example.org/9",
                title="Story number 2",
                text="Text of story 2.",
            ),
            item(3),
        ),
    )
    services.poll(feed_source("/a.rss"))
    result = services.poll(feed_source("/b.rss"))
    assert [taken.headline for taken in result.new] == ["Story number 3"]
    assert IncomingItem.objects.count() == 3


def test_an_item_in_another_language_is_left_out_and_said(wire, feed_source):
    wire.serve("/ru.rss", rss(item(1), language="ru"))
    source = feed_source("/ru.rss")
    result = services.poll(source)
    source.refresh_from_db()
    assert result.new == []
    assert "is in 'ru', not the source's 'en'" in source.last_error
    assert source.last_success_at is not None


@pytest.mark.parametrize(
    "route, options, message",
    [
        ("/huge.rss", {"behaviour": "huge"}, "larger than the limit of 10.4858 MB"),
        ("/loop.rss", {"behaviour": "loop"}, "redirected more than 5 times"),
        ("/hang.rss", {"behaviour": "hang"}, "no answer within 1 s"),
        ("/gone.rss", {"status": 500}, "the server answered 500"),
        ("/bomb.rss", {}, "declares entities"),
        ("/broken.rss", {}, "not a readable RSS or Atom feed"),
    ],
)
def test_a_misbehaving_source_ends_as_its_last_error(wire, feed_source, route, options, message):
    body = {"/bomb.rss": fixture("bomb.xml"), "/broken.rss": b"<html>oops</html>"}.get(route, b"")
    wire.serve(route, body, **options)
    source = feed_source(route)
    started = time.monotonic()
    result = services.poll(source)
    assert time.monotonic() - started < 60  # not the two minutes a hanging source takes
    source.refresh_from_db()
    assert message in result.error and message in source.last_error
    assert source.failures == 1 and source.last_success_at is None
    assert not IncomingItem.objects.exists()


def test_failures_back_off_and_a_success_resets_them(wire, feed_source):
    wire.serve("/feed.rss", b"", status=503)
    source = feed_source(every_minutes=10)
    services.poll(source)
    services.poll(source)
    source.refresh_from_db()
    assert source.failures == 2
    assert source.next_poll_at > timezone.now() + timedelta(minutes=19)
    wire.serve("/feed.rss", rss(item(1)))
    services.poll(source)
    source.refresh_from_db()
    assert source.failures == 0 and source.last_error.startswith("the server answered 503")


def test_a_host_that_is_not_there(db, locale, world):
    source = Source.objects.create(
        name="Nobody",
        format=SourceFormat.FEED,
        url="http://127.0.0.1:9/feed",
        locale=locale("en"),
        section=world,
    )
    assert "could not connect" in services.poll(source).error


def test_the_schedule_queues_due_sources_once(wire, feed_source):
    wire.serve("/feed.rss", rss(item(1)))
    source = feed_source()
    feed_source("/off.rss", enabled=False)
    assert poll_due_sources.call() == 1  # the immediate queue runs the poll at once
    assert IncomingItem.objects.filter(source=source).count() == 1
    assert poll_due_sources.call() == 0  # not due again for 15 minutes


def test_a_drop_folder_of_ninjs_files(tmp_path, locale):
    (tmp_path / "one.json").write_bytes(sample("severnoe-agentstvo.json"))
    (tmp_path / "notes.txt").write_text("not read")
    (tmp_path / "bad.json").write_text("{not json")
    source = Source.objects.create(
        name="Folder", format=SourceFormat.NINJS, folder=str(tmp_path), locale=locale("ru")
    )
    result = services.poll(source)
    source.refresh_from_db()
    assert len(result.new) == 2
    assert "bad.json: malformed JSON" in source.last_error
    assert source.last_success_at is not None
    assert services.poll(source).new == []


def test_opening_an_item_makes_a_complete_draft(wire, feed_source, world):
    wire.serve("/pic.jpg", jpeg(), content_type="image/jpeg")
    picture = f'<media:content url="{wire.url("/pic.jpg")}" medium="image"/>'
    wire.serve("/feed.rss", rss(item(1, extra=picture + "<author>x@y (Mara Linden)</author>")))
    services.poll(feed_source())
    incoming = IncomingItem.objects.get()
    story = services.open_as_draft(incoming)
    assert isinstance(story, ArticlePage) and not story.live
    assert story.get_parent().specific == world and story.locale_id == world.locale_id
    assert story.title == "Story number 1"
    assert story.source_url == "https://wire.example.org/1"
    assert "Source /feed.rss" in story.source
    assert story.lead_image is not None and story.lead_image.width == 640
    incoming.refresh_from_db()
    assert incoming.state == ItemState.USED and incoming.story_id == story.pk
    # Opening again gives the same draft.
    assert services.open_as_draft(incoming).pk == story.pk
    assert ArticlePage.objects.filter(title="Story number 1").count() == 1


def test_a_picture_that_is_not_a_picture_is_left_out_and_said(wire, feed_source):
    wire.serve("/pic.jpg", b"<html>not a picture</html>", content_type="image/jpeg")
    picture = f'<enclosure url="{wire.url("/pic.jpg")}" type="image/jpeg" length="1"/>'
    wire.serve("/feed.rss", rss(item(1, extra=picture)))
    services.poll(feed_source())
    incoming = IncomingItem.objects.get()
    images_before = NewsImage.objects.count()
    story = services.open_as_draft(incoming)
    incoming.refresh_from_db()
    assert story.lead_image is None and NewsImage.objects.count() == images_before
    assert "not a picture" in incoming.note


def test_a_source_can_make_drafts_at_once(wire, feed_source):
    wire.serve("/feed.rss", rss(item(1), item(2)))
    services.poll(feed_source(makes_drafts=True))
    assert IncomingItem.objects.filter(state=ItemState.USED).count() == 2
    assert ArticlePage.objects.filter(title__startswith="Story number", live=False).count() == 2


def test_importing_a_web_page(wire, locale, world):
    url = wire.serve("/tolls", fixture("page-hostile.html"), content_type="text/html")
    story = services.import_page(url, locale=locale("en"), section=world)
    assert story.title == "Bridge tolls end in January" and not story.live
    body = str(story.body)
    assert "Drivers will stop paying" in body and "script" not in body and "iframe" not in body
    assert story.source.startswith("Sam Okafor, 127.0.0.1")
    with pytest.raises(services.IngestError, match="imported already"):
        services.import_page(url, locale=locale("en"), section=world)


def test_a_web_page_in_the_wrong_language_makes_no_draft(wire, locale):
    page = fixture("page-hostile.html").replace(b'lang="en"', b'lang="ru"')
    url = wire.serve("/ru-page", page, content_type="text/html")
    before = ArticlePage.objects.count()
    with pytest.raises(services.IngestError, match="the page is in 'ru', not 'en'"):
        services.import_page(url, locale=locale("en"))
    assert ArticlePage.objects.count() == before and not IncomingItem.objects.exists()


def test_old_items_expire_but_are_not_taken_again(wire, feed_source, settings):
    wire.serve("/feed.rss", rss(item(1), item(2)))
    source = feed_source()
    services.poll(source)
    IncomingItem.objects.update(received_at=timezone.now() - timedelta(days=15))
    assert services.forget_old_items() == 2
    assert set(IncomingItem.objects.values_list("state", "body_html")) == {("expired", "")}
    source.refresh_from_db()
    assert services.poll(source).new == []
    IncomingItem.objects.update(received_at=timezone.now() - timedelta(days=200))
    services.forget_old_items()
    assert not IncomingItem.objects.exists()


def test_a_host_on_a_private_network_is_not_read_unless_allowed(wire, feed_source, settings):
    wire.serve("/feed.rss", rss(item(1)))
    source = feed_source()
    settings.DATELINE_INGEST_PRIVATE_NETWORKS = []
    result = services.poll(source)
    assert "127.0.0.1 is on a private network" in result.error
    assert wire.asked("/feed.rss") == []


def test_a_redirect_into_a_private_network_is_not_followed(wire, feed_source):
    wire.serve("/moved.rss", b"", location="http://169.254.169.254/latest/meta-data/")
    result = services.poll(feed_source("/moved.rss"))
    assert "169.254.169.254 is on a private network" in result.error


def test_a_redirect_is_followed_to_the_feed(wire, feed_source):
    wire.serve("/moved.rss", b"", location="/feed.rss")
    wire.serve("/feed.rss", rss(item(1)))
    assert len(services.poll(feed_source("/moved.rss")).new) == 1
