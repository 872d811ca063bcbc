"""Listings read their back pages from the oldest end; readers must not notice."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from dateline.news.models import paginate


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
