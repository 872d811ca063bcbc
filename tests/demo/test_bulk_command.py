"""`dateline demo --articles N` run on its own against a demo site on PostgreSQL, where it
writes each batch on two connections of its own while the next is made."""

from __future__ import annotations

import json

import pytest

from tests.live_site import Engine, demo_site

pytestmark = pytest.mark.live

CHECK = """
import json
from django.db import connection
from wagtail.models import Page
from dateline.api.models import ArticleChange
from dateline.news.models import ArticleAuthor, ArticlePage, ArticleTag, SectionPage
from dateline.search.models import SearchEntry
from dateline.search.services import search

added = ArticlePage.objects.filter(slug__startswith="story-")
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(*) FROM dateline_search_document WHERE page_id IN "
        "(SELECT id FROM wagtailcore_page WHERE slug LIKE 'story-%%')"
    )
    documents = cursor.fetchone()[0]
newest = added.order_by("-pk").first()
phrase = '"' + newest.title + '"'
print(json.dumps({
    "added": added.count(),
    "live": added.filter(live=True).count(),
    "entries": SearchEntry.objects.filter(page__in=added).count(),
    "documents": documents,
    "bylines": ArticleAuthor.objects.filter(article__in=added).count(),
    "tagged": ArticleTag.objects.filter(content_object__in=added)
    .values("content_object").distinct().count(),
    "changes": ArticleChange.objects.filter(page_id__in=added.values("pk")).count(),
    "problems": sum(len(found) for found in Page.find_problems()),
    "numchild_right": all(
        section.numchild == section.get_children().count() for section in SectionPage.objects.all()
    ),
    "found": newest.pk in search(phrase, newest.locale.language_code).ids(0, 50),
}))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    Engine("postgres+redis").require()
    return demo_site(tmp_path_factory, "bulk-command", "postgres")


def test_stories_written_on_their_own_connections_are_whole_and_found(site):
    before = int(site.shell(COUNT).strip().splitlines()[-1])
    target = before + 1_203  # three batches and part of a fourth
    output = site.run("demo", "--articles", str(target), timeout=600)
    assert "Added 1203 articles" in output
    found = json.loads(site.shell(CHECK).strip().splitlines()[-1])
    assert found == {
        "added": 1_203,
        "live": 1_203,
        "entries": 1_203,
        "documents": 1_203,
        "bylines": 1_203,
        "tagged": 1_203,
        "changes": 1_203,
        "problems": 0,
        "numchild_right": True,
        "found": True,
    }


def test_a_second_run_adds_after_the_first(site):
    before = int(site.shell(COUNT).strip().splitlines()[-1])
    site.run("demo", "--articles", str(before + 40), timeout=600)
    assert int(site.shell(COUNT).strip().splitlines()[-1]) == before + 40
    assert '"problems": 0' in site.shell(CHECK)


COUNT = """
from dateline.news.models import ArticlePage
print(ArticlePage.objects.count())
"""
