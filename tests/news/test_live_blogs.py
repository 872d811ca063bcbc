"""Live blogs: editors post updates to a live blog without publishing the page again;
readers see them newest first with the key events on top, open pages poll a cacheable
list of the newest, search engines and feed readers get them, and an ended blog stays
as an archive that no longer polls."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest
from django.utils import translation
from wagtail.models import Locale, PageLogEntry

from dateline.feeds import sitemaps
from dateline.news import live, services
from dateline.news.models import LiveBlogPage, LiveUpdate

pytestmark = pytest.mark.django_db

PARAGRAPH = "<p>{}</p>"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def blog(world) -> LiveBlogPage:
    return services.create_article(
        world,
        title="Storm over the coast: live",
        slug="storm-live",
        standfirst="Follow the storm as it happens.",
        paragraphs=["Our reporters follow the storm."],
        kind=LiveBlogPage,
    )


def post(blog, text: str, **options) -> LiveUpdate:
    return live.post_update(blog, body=PARAGRAPH.format(text), **options)


def poll(client, blog, **query) -> dict:
    response = client.get(f"/en/live/{blog.pk}/updates.json", query)
    assert response.status_code == 200
    return response.json()


def test_readers_see_updates_newest_first_with_key_events_and_pinned_on_top(client, blog):
    post(blog, "Wind reaches the harbour.", headline="Storm arrives", key_event=True)
    post(blog, "Ferries are cancelled for the day.", pinned=True, headline="Travel")
    post(blog, "Rain is easing in the north.")
    html = client.get(blog.url).content.decode()
    stream = html[html.index("data-live-updates") :]
    assert stream.index("Rain is easing") < stream.index("Ferries") < stream.index("Wind")
    summary = html[html.index("Key events") : html.index("data-live-updates")]
    assert "Storm arrives" in summary and "Rain is easing" not in summary
    assert html.index("Pinned") < html.index("data-live-updates")
    assert 'data-live-source="/en/live/' in html


def test_open_pages_poll_the_newest_updates_and_page_back_through_older_ones(client, blog):
    posted = [post(blog, f"Update number {number}.") for number in range(45)]
    newest = poll(client, blog)
    assert newest["covering"] is True
    assert [update["id"] for update in newest["updates"]] == [u.pk for u in posted[::-1][:20]]
    assert "Update number 44." in newest["updates"][0]["html"]
    older = poll(client, blog, before=newest["older_than"])
    assert [update["id"] for update in older["updates"]] == [u.pk for u in posted[::-1][20:40]]
    oldest = poll(client, blog, before=older["older_than"])
    assert len(oldest["updates"]) == 5 and oldest["older_than"] is None
    page = client.get(blog.url, {"before": newest["older_than"]}).content.decode()
    assert "Update number 24." in page and "Update number 25." not in page


@pytest.mark.parametrize("before", ["abc", "-1", "0", "1e9", "²", "9" * 40])
def test_a_malformed_page_of_older_updates_is_a_clear_400(client, blog, before):
    response = client.get(f"/en/live/{blog.pk}/updates.json", {"before": before})
    assert response.status_code == 400
    assert "before" in response.json()["error"]


def test_only_a_published_live_blog_of_the_language_answers(client, blog, world):
    article = world.articles().exclude(pk=blog.pk).first()
    assert client.get(f"/ru/live/{blog.pk}/updates.json").status_code == 404
    assert client.get(f"/en/live/{article.pk}/updates.json").status_code == 404
    assert client.get(f"/en/live/{2**40}/updates.json").status_code == 404
    assert client.get(f"/en/live/{2**40}/rss.xml").status_code == 404
    services.unpublish(blog)
    assert client.get(f"/en/live/{blog.pk}/updates.json").status_code == 404


def test_script_in_an_update_is_taken_out(client, blog):
    update = live.post_update(
        blog,
        body='<p onclick="steal()">Calm <script>alert(1)</script>'
        '<a href="javascript:alert(2)">here</a> <img src=x onerror=alert(3)></p>',
    )
    assert "script" not in update.body and "alert" not in update.body
    assert "onclick" not in update.body and "onerror" not in update.body
    html = poll(client, blog)["updates"][0]["html"]
    assert "Calm" in html and "alert" not in html


def test_a_picture_in_an_update_is_shown(client, blog):
    from wagtail.images import get_image_model

    picture = get_image_model().objects.order_by("pk").first()
    live.post_update(
        blog,
        body=f'<p>From the bridge:</p><embed embedtype="image" format="fullwidth" '
        f'id="{picture.pk}" alt="The bridge at dawn, it\'s flooded"/>',
    )
    html = poll(client, blog)["updates"][0]["html"]
    assert '<img alt="The bridge at dawn' in html and "<embed" not in html


def test_an_update_of_a_megabyte_or_with_nothing_in_it_is_refused(blog):
    with pytest.raises(live.LiveRefused, match="at most 20000 characters"):
        post(blog, "x" * 1_000_000)
    with pytest.raises(live.LiveRefused, match="needs some text"):
        live.post_update(blog, body="<p> </p><script>only this</script>")
    with pytest.raises(live.LiveRefused, match="headline"):
        post(blog, "Fine.", headline="h" * 201)
    assert not blog.live_updates.exists()


def test_posting_to_an_ended_or_unpublished_blog_is_refused(blog):
    live.end_coverage(blog)
    with pytest.raises(live.LiveRefused, match="coverage has ended"):
        post(blog, "Too late.")
    live.resume_coverage(blog)
    assert post(blog, "Back on air.").pk
    services.unpublish(blog)
    with pytest.raises(live.LiveRefused, match="published live blog"):
        post(blog, "Nobody reads this.")


def test_an_ended_blog_is_an_archive_that_no_longer_polls(client, blog):
    post(blog, "The last word.")
    live.end_coverage(blog)
    html = client.get(blog.url).content.decode()
    assert "data-live-source" not in html
    assert "This live coverage has ended." in html and "The last word." in html
    assert poll(client, blog)["covering"] is False


def test_every_post_correction_and_deletion_is_in_the_pages_history(blog, editor):
    update = post(blog, "First version.", user=editor)
    live.revise_update(update, body=PARAGRAPH.format("Second version."), user=editor)
    live.delete_update(update, user=editor)
    assert live.delete_update(update, user=editor) is False  # twice is harmless
    live.end_coverage(blog, user=editor)
    history = PageLogEntry.objects.filter(page=blog).order_by("pk")
    actions = [entry.action for entry in history if entry.action.startswith("news.live")]
    assert actions == [live.POSTED, live.REVISED, live.DELETED, live.ENDED]
    deleted = history.get(action=live.DELETED)
    assert "Second version." in deleted.data["body"] and deleted.user == editor


def test_a_correction_shows_when_it_was_made(client, blog):
    update = post(blog, "Two ferries cancelled.")
    live.revise_update(update, body=PARAGRAPH.format("Three ferries cancelled."))
    shown = poll(client, blog)["updates"][0]
    assert "Three ferries" in shown["html"] and "Corrected" in shown["html"]


def test_translations_are_independent_streams(client, blog):
    russian = services.translate_page(blog, Locale.objects.get(language_code="ru"))
    services.publish(russian)
    post(blog, "Only in English.")
    assert russian.specific.live_updates.count() == 0
    assert client.get(f"/ru/live/{russian.pk}/updates.json").json()["updates"] == []


def test_search_engines_get_a_live_blog_posting_with_its_updates(client, blog):
    post(blog, "Power is back in the old town.", headline="Power restored")
    html = client.get(blog.url).content.decode()
    items = [
        json.loads(found)
        for found in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    posting = next(item for item in items if item.get("@type") == "LiveBlogPosting")
    assert posting["coverageStartTime"] and "coverageEndTime" not in posting
    assert posting["liveBlogUpdate"][0]["headline"] == "Power restored"
    assert posting["liveBlogUpdate"][0]["url"].endswith(f"#update-{blog.live_updates.get().pk}")
    live.end_coverage(blog)
    html = client.get(blog.url).content.decode()
    assert '"coverageEndTime"' in html


def test_the_news_sitemap_lists_a_live_blog_while_it_covers(blog):
    LiveBlogPage.objects.filter(pk=blog.pk).update(
        first_published_at=blog.first_published_at.replace(year=2020)
    )
    listed = lambda: [path for path, _title, _at in sitemaps.news_articles("en")]  # noqa: E731
    assert blog.url_path in listed()
    live.end_coverage(blog)
    assert blog.url_path not in listed()


def test_the_feed_of_a_live_blog_lists_its_updates(client, blog):
    post(blog, "Roads reopen.", headline="Roads")
    post(blog, "Schools stay shut.")
    response = client.get(f"/en/live/{blog.pk}/rss.xml")
    assert response.status_code == 200
    titles = [
        item.findtext("title") for item in ElementTree.fromstring(response.content).iter("item")
    ]
    assert titles == ["Schools stay shut.", "Roads"]
    assert f'href="/en/live/{blog.pk}/rss.xml"' in client.get(blog.url).content.decode()


def test_the_demo_has_a_covering_and_an_ended_live_blog_in_every_language():
    for code in ("en", "ru", "hy", "az"):
        blogs = LiveBlogPage.objects.live().filter(locale__language_code=code)
        covering = [blog for blog in blogs if blog.is_covering]
        ended = [blog for blog in blogs if blog.coverage_ended_at is not None]
        assert len(covering) == 1 and len(ended) == 1, code
        assert covering[0].live_updates.filter(key_event=True).count() >= 2
        assert covering[0].live_updates.count() >= 8


def draftail(text: str) -> str:
    block = {"key": "a1", "text": text, "type": "unstyled", "depth": 0}
    block |= {"inlineStyleRanges": [], "entityRanges": []}
    return json.dumps({"blocks": [block], "entityMap": {}})


def test_an_editor_posts_corrects_and_deletes_from_the_live_desk(client, blog, editor):
    client.force_login(editor)
    desk = f"/admin/live/{blog.pk}/"
    assert client.get(desk).status_code == 200
    posted = client.post(desk, {"headline": "Bridge", "body": draftail("The bridge is open.")})
    assert posted.status_code == 302
    update = blog.live_updates.get()
    assert (update.headline, update.author) == ("Bridge", editor)
    revise = f"{desk}updates/{update.pk}/"
    assert client.get(revise).status_code == 200
    client.post(revise, {"headline": "Bridge", "body": draftail("The bridge is half open.")})
    assert "half open" in LiveUpdate.objects.get(pk=update.pk).body
    assert client.post(f"{revise}delete/").status_code == 302
    assert not blog.live_updates.exists()
    assert client.post(f"{revise}delete/").status_code == 302  # already gone: harmless


def test_the_live_desk_refuses_bad_posts_with_a_message_and_keeps_nothing(client, blog, editor):
    client.force_login(editor)
    desk = f"/admin/live/{blog.pk}/"
    huge = client.post(desk, {"body": draftail("x" * 1_000_000)})
    assert huge.status_code == 400 and "at most 20000 characters" in huge.content.decode()
    unreadable = client.post(desk, {"body": "{not json"})
    assert unreadable.status_code == 400
    live.end_coverage(blog)
    late = client.post(desk, {"body": draftail("Too late.")})
    assert late.status_code == 400 and "coverage has ended" in late.content.decode()
    assert not blog.live_updates.exists()


def test_only_those_who_may_publish_the_blog_may_post_to_it(client, blog, contributor):
    client.force_login(contributor)
    answer = client.post(f"/admin/live/{blog.pk}/", {"body": draftail("Not mine to post.")})
    assert answer.status_code == 302 and answer["Location"] == "/admin/"
    assert not blog.live_updates.exists()
