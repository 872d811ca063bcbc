"""Listings read their back pages from the oldest end; readers must not notice."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from dateline.news.models import paginate

pytestmark = pytest.mark.engine


@pytest.mark.parametrize("per_page", [1, 3, 4, 7])
def test_every_page_of_a_section_holds_the_stories_a_front_to_back_reading_gives(world, per_page):
    stories = list(world.articles())
    assert len(stories) > 8
    pages = -(-len(stories) // per_page)
    seen = []
    for number in range(1, pages + 1):
        request = RequestFactory().get("/", {"page": str(number)})
        page = paginate(world.articles(), request, per_page=per_page)
        assert list(page) == stories[(number - 1) * per_page : number * per_page]
        assert page.has_next() == (number < pages)
        seen += list(page)
    assert seen == stories


def test_a_page_past_the_end_is_not_found(world):
    count = world.articles().count()
    with pytest.raises(Http404):
        paginate(world.articles(), RequestFactory().get("/", {"page": str(count + 1)}), 1)


def test_a_section_counts_its_stories_once_until_a_story_is_published(
    client, world, article, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dateline.news import services

    def counts_run() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(world.url).status_code == 200
        return sum("COUNT(" in query["sql"].upper() for query in queries)

    counts_run()
    assert counts_run() == 0
    before = world.articles().count()

    with django_capture_on_commit_callbacks(execute=True):
        services.create_article(
            world, title="Counted after it was published", slug="counted-after", standfirst="New."
        )

    assert counts_run() == 1
    assert "Counted after it was published" in client.get(world.url).text
    assert world.articles().count() == before + 1
