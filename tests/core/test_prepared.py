"""A query compiled once per process gives the same page, with the same fields, as the
queryset it was made from, in one query, for any value."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from dateline.core.prepared import PreparedFirst, builds_rows_with_model_init
from dateline.news.models import ArticlePage

pytestmark = pytest.mark.engine


def article_at():
    return PreparedFirst(
        ArticlePage,
        lambda url_path: (
            ArticlePage.objects.filter(url_path=url_path).select_related("lead_image").order_by()
        ),
    )


def test_it_finds_the_same_story_as_the_queryset_with_every_field(article):
    picture = get_image_model().objects.create(title="Harbour", file=get_test_image_file())
    article.lead_image = picture
    article.save()
    expected = ArticlePage.objects.get(pk=article.pk)

    with CaptureQueriesContext(connection) as queries:
        found = article_at()(article.url_path)
        assert found.lead_image.title == "Harbour"

    assert len(queries) == 1
    assert type(found) is ArticlePage
    for field in ArticlePage._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.first_published_at.tzinfo is not None  # converted like any queryset's


def test_a_second_call_with_another_value_finds_another_page(article, world):
    lookup = PreparedFirst(Page, lambda url_path: Page.objects.filter(url_path=url_path))
    assert lookup(article.url_path).pk == article.pk
    assert lookup(world.url_path).pk == world.pk


@pytest.mark.parametrize(
    "url_path", ["/home/nowhere/", "", "/home/' OR 1=1 --/", "/home/%/", "/home/_/"]
)
def test_a_path_that_names_no_page_finds_nothing(article, url_path):
    assert article_at()(url_path) is None


def test_a_query_that_does_not_use_its_value_once_is_refused(db):
    lookup = PreparedFirst(Page, lambda url_path: Page.objects.filter(depth=1))
    with pytest.raises(ValueError, match="exactly once"):
        lookup("/home/")


def test_a_found_story_is_known_to_come_from_the_database(article):
    found = article_at()(article.url_path)
    assert found._state.adding is False
    assert found._state.db == "default"
    assert found.pk == article.pk and found.id == article.pk


def test_only_models_whose_constructors_ignore_rows_are_built_without_them():
    assert builds_rows_with_model_init(ArticlePage)
    assert builds_rows_with_model_init(Page)
    # A picture's dimensions are filled in by a listener when it is made.
    assert not builds_rows_with_model_init(get_image_model())
