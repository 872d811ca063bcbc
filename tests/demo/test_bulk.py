"""`dateline demo --articles N`: generated stories written in bulk for scale tests."""

from __future__ import annotations

from collections import Counter

import pytest
from wagtail.models import Page

from dateline.cli import build_parser
from dateline.demo.bulk import add_stories
from dateline.demo.loader import SECTION_ORDER
from dateline.news import services
from dateline.news.models import ArticlePage, SectionPage
from dateline.search.models import SearchEntry

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

LANGUAGES = ["en", "ru", "hy", "az"]


@pytest.fixture
def generated(db) -> list[ArticlePage]:
    before = set(ArticlePage.objects.values_list("pk", flat=True))
    assert add_stories(48) == 48
    return list(ArticlePage.objects.exclude(pk__in=before).select_related("locale").order_by("pk"))


def test_stories_cover_every_language_and_section(generated):
    assert len(generated) == 48
    per_language = Counter(article.locale.language_code for article in generated)
    assert per_language == {code: 12 for code in LANGUAGES}
    sections = Counter(
        (article.locale.language_code, article.get_parent().slug) for article in generated
    )
    assert set(sections) == {(code, slug) for code in LANGUAGES for slug in SECTION_ORDER}


def test_each_story_is_linked_to_its_translations(generated):
    story = generated[0]
    assert sorted(
        story.get_translations(inclusive=True).values_list("locale__language_code", flat=True)
    ) == sorted(LANGUAGES)


def test_the_tree_is_clean_and_section_child_counts_are_right(generated):
    assert all(not problems for problems in Page.find_problems())
    for section in SectionPage.objects.all():
        assert section.numchild == section.get_children().count()


def test_stories_have_bylines_tags_and_search_entries(generated):
    for article in generated:
        assert article.bylines.count() == 1
        assert 1 <= article.tags.count() <= 4
    assert SearchEntry.objects.filter(page__in=generated).count() == len(generated)


def test_apps_that_sync_hear_of_the_stories(client, generated):
    english = {article.pk for article in generated if article.locale.language_code == "en"}
    response = client.get(
        "/api/v1/articles",
        {"lang": "en", "updated_since": "2000-01-01T00:00:00Z", "limit": 100},
    )
    assert response.status_code == 200
    assert english <= {item["id"] for item in response.json()["items"]}


def test_stories_carry_a_demo_drawing_under_the_caption_that_describes_it(generated):
    shown = {
        (story.lead_image_id, story.locale.language_code): story.lead_image_caption
        for story in ArticlePage.objects.exclude(pk__in=[article.pk for article in generated])
    }
    for article in generated:
        key = (article.lead_image_id, article.locale.language_code)
        assert article.lead_image_caption == shown[key]


def test_stories_are_served_and_listed(client, generated):
    story = generated[-1]
    response = client.get(story.url)
    assert response.status_code == 200
    assert story.title in response.content.decode()
    section = story.get_parent().specific
    assert section.articles().filter(pk=story.pk).exists()
    assert client.get(section.url).status_code == 200


def test_an_editor_can_open_edit_and_publish_a_generated_story(client, generated, admin_user):
    story = generated[0]
    client.force_login(admin_user)
    assert client.get(f"/admin/pages/{story.pk}/edit/").status_code == 200
    story.title = "A corrected headline"
    services.publish(story)
    story.refresh_from_db()
    assert story.title == "A corrected headline" and story.live
    assert client.get(story.url).status_code == 200
    assert all(not problems for problems in Page.find_problems())


def test_more_stories_go_after_the_existing_ones_in_each_section(generated):
    assert add_stories(24) == 24
    assert all(not problems for problems in Page.find_problems())


def test_the_command_rejects_a_count_that_is_not_a_number(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--articles", "lots"])
    assert "expected a whole number" in capsys.readouterr().err
