"""A live blog's page, its polled list of updates and its feed stay in the page cache until
an update is posted, corrected or deleted; the rest of the site stays cached meanwhile."""

from __future__ import annotations

import pytest

from dateline.news import live, services, streams
from dateline.news.models import LiveBlogPage

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


@pytest.fixture
def blog(world) -> LiveBlogPage:
    return services.create_article(
        world,
        title="Harbour fire: live",
        slug="harbour-fire-live",
        standfirst="Follow the fire as it happens.",
        paragraphs=["Crews are on the scene."],
        kind=LiveBlogPage,
    )


def test_a_posted_update_reaches_cached_readers_and_leaves_other_pages_cached(site, blog, home):
    addresses = [blog.url, f"/en/live/{blog.pk}/updates.json", f"/en/live/{blog.pk}/rss.xml"]
    for address in [*addresses, home.url]:
        site.get(address)
        assert site.get(address).outcome == "hit"
    with site.changes():
        live.post_update(blog, body="<p>The fire is under control.</p>")
    for address in addresses:
        answer = site.get(address)
        assert answer.outcome == "miss" and "The fire is under control." in answer.text
        assert "dateline-follows" not in answer.headers
        assert site.get(address).outcome == "hit"
    assert site.get(home.url).outcome == "hit"


def test_a_cdn_keeps_what_open_pages_poll_for_seconds_while_the_blog_covers(site, blog):
    answer = site.get(f"/en/live/{blog.pk}/updates.json")
    assert (
        answer.headers["cache-control"] == f"public, max-age=0, s-maxage={streams.SHARED_SECONDS}"
    )
    with site.changes():
        live.end_coverage(blog)
    ended = site.get(f"/en/live/{blog.pk}/updates.json")
    assert ended.outcome == "miss" and '"covering": false' in ended.text
    assert "s-maxage=2" not in ended.headers["cache-control"]
