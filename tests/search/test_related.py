"""Related stories under a story: the editor's choice in its order, else stories sharing its
tags, else stories the search index finds on its headline; same language, never itself."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from dateline.news import services
from dateline.news.models import ArticlePage, SectionPage
from dateline.search.related import related_stories, subject_words
from tests.factories import story
from tests.news.test_admin import article_form

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def slugs(stories: list[ArticlePage]) -> list[str]:
    return [found.slug for found in stories]


def test_the_editors_choice_comes_first_in_its_order(world):
    article = story(world, "main-story", tags=["harbour"])
    first = story(world, "chosen-first")
    second = story(world, "chosen-second")
    story(world, "same-tag", tags=["harbour"])
    services.choose_related(article, [second, first])
    assert slugs(related_stories(article)) == ["chosen-second", "chosen-first", "same-tag"]


def test_a_chosen_story_that_was_pulled_is_not_shown(world):
    article = story(world, "main-story")
    chosen = story(world, "pulled-later")
    services.choose_related(article, [chosen])
    services.unpublish(ArticlePage.objects.get(pk=chosen.pk))
    assert "pulled-later" not in slugs(related_stories(article))


def test_without_a_choice_the_stories_sharing_most_tags_come_first(world):
    article = story(world, "tagged-story", tags=["ferries", "storm", "ports"])
    story(world, "one-tag", tags=["ferries"])
    story(world, "two-tags", tags=["storm", "ports"])
    story(world, "no-tags")
    found = slugs(related_stories(article))
    assert found[:2] == ["two-tags", "one-tag"]
    assert "tagged-story" not in found


def test_without_tags_the_search_index_finds_stories_on_the_same_subject(world):
    article = story(world, "quarantine-story", title="Quarantine lifted at Velmora poultry farms")
    story(world, "poultry-follow-up", title="Poultry exports from Velmora resume")
    story(world, "unrelated", title="Chess club wins the cup")
    found = slugs(related_stories(article))
    assert found[0] == "poultry-follow-up"
    assert "unrelated" not in found and "quarantine-story" not in found


def test_related_stories_stay_in_the_storys_language(world):
    russian = SectionPage.objects.get(slug="world", locale__language_code="ru")
    article = story(world, "english-story", tags=["glaciers"])
    story(russian, "russian-story", tags=["glaciers"])
    assert "russian-story" not in slugs(related_stories(article))
    with pytest.raises(ValueError):
        services.choose_related(article, [ArticlePage.objects.get(slug="russian-story")])


def test_the_subject_words_are_the_headlines_longest():
    assert subject_words("Quarantine lifted at the Velmora poultry farms") == [
        "quarantine",
        "poultry",
        "velmora",
        "lifted",
    ]


def test_the_story_page_shows_its_related_stories(client, world):
    article = story(world, "page-story", tags=["ferries"])
    story(world, "page-related", title="Ferries run again", tags=["ferries"])
    html = client.get(article.url).content.decode()
    block = html.split('class="related-stories"')[1].split("</aside>")[0]
    assert "Related stories" in block and "Ferries run again" in block


def test_the_editor_cannot_relate_a_story_to_itself_or_to_another_language(client, editor, world):
    article = story(world, "edited-story")
    russian = SectionPage.objects.get(slug="world", locale__language_code="ru")
    other = story(russian, "other-language")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    for chosen, message in [
        (article, "cannot be related to itself"),
        (other, "in the story&#x27;s own language"),
    ]:
        data = article_form(slug=article.slug, title=article.title)
        data.update(
            nested_form_data(
                {"related_stories": inline_formset([{"story": str(chosen.pk), "id": ""}])}
            )
        )
        data["action-publish"] = "action-publish"
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
