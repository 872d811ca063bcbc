"""What contributors and editors see and can do in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale, Page, Revision
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from dateline.core.models import SiteSettings
from dateline.news import services
from dateline.news.blocks import RICH_TEXT_FEATURES
from dateline.news.models import ArticlePage, Author, SectionPage

pytestmark = pytest.mark.django_db


def add_article_url(parent: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=["news", "articlepage", parent.pk])


def article_form(slug: str = "harbour-reopens", **overrides) -> dict:
    """The add-page form as the admin would post it, with one paragraph and one byline."""
    author = Author.objects.get(slug="narine-galstyan", locale__language_code="en")
    fields = {
        "title": "Harbour reopens after the storm",
        "slug": slug,
        "standfirst": "Ships were back at the quay on Monday morning.",
        "lead_image": "",
        "lead_image_caption": "",
        "body": streamfield(
            [
                (
                    "paragraph",
                    rich_text(
                        "<p>The port authority lifted the closure at dawn.</p>",
                        features=RICH_TEXT_FEATURES,
                    ),
                )
            ]
        ),
        "bylines": inline_formset([{"author": str(author.pk), "id": ""}], min=1),
        "corrections": inline_formset([]),
        "related_stories": inline_formset([]),
        "source": "Port authority",
        "tags": "ports, weather",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "first_published_at": "",
    }
    fields.update(overrides)
    return nested_form_data(fields)


def post_article(client, parent, action: str | None = "action-publish", **overrides):
    data = article_form(**overrides)
    if action:
        data[action] = action
    return client.post(add_article_url(parent), data)


def test_the_contributors_and_editors_groups_exist():
    assert Group.objects.filter(name="Contributors").exists()
    assert Group.objects.filter(name="Editors").exists()


def test_a_contributor_can_open_the_new_article_form_in_a_section(client, contributor, world):
    client.force_login(contributor)
    response = client.get(add_article_url(world))
    assert response.status_code == 200
    form = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for field in ("title", "standfirst", "lead_image", "source", "tags", "bylines-TOTAL_FORMS"):
        assert field in form


def test_a_contributor_who_presses_publish_gets_a_draft_not_a_live_story(
    client, contributor, world
):
    client.force_login(contributor)
    response = post_article(client, world, slug="contributor-draft")
    assert response.status_code == 302

    article = ArticlePage.objects.child_of(world).get(slug="contributor-draft")
    assert not article.live
    assert article.has_unpublished_changes
    assert Revision.page_revisions.filter(object_id=str(article.pk)).exists()
    assert article.latest_revision.user == contributor
    assert article.get_latest_revision_as_object().standfirst.startswith("Ships were back")
    assert article.bylines.count() == 1
    # Readers cannot see it.
    assert client.get(f"/en/world/{article.slug}/").status_code == 404


def test_a_contributor_can_submit_a_story_for_moderation(client, contributor, world):
    client.force_login(contributor)
    response = post_article(client, world, action="action-submit", slug="for-moderation")
    assert response.status_code == 302

    article = ArticlePage.objects.child_of(world).get(slug="for-moderation")
    assert not article.live
    assert article.workflow_in_progress


def test_an_editor_can_approve_a_story_a_contributor_submitted(client, contributor, editor, world):
    client.force_login(contributor)
    post_article(client, world, action="action-submit", slug="awaiting-approval")
    article = ArticlePage.objects.child_of(world).get(slug="awaiting-approval")
    task_state = article.current_workflow_task_state

    client.force_login(editor)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[article.pk, "approve", task_state.pk],
        ),
        {},
    )
    assert response.status_code in (200, 302)
    article.refresh_from_db()
    assert article.live


def test_an_editor_who_presses_publish_makes_the_story_live(client, editor, world):
    client.force_login(editor)
    response = post_article(client, world, slug="editor-story")
    assert response.status_code == 302

    article = ArticlePage.objects.child_of(world).get(slug="editor-story")
    assert article.live
    assert article.first_published_at is not None
    assert [author.slug for author in article.authors()] == ["narine-galstyan"]

    page = client.get("/en/world/editor-story/")
    assert page.status_code == 200
    assert "Harbour reopens after the storm" in page.content.decode()


def test_an_article_cannot_be_created_directly_under_a_home_page(client, editor, home):
    assert not ArticlePage.can_create_at(home)
    client.force_login(editor)

    opened = client.get(add_article_url(home))
    assert opened.status_code in (302, 403)
    assert opened.status_code != 200

    posted = post_article(client, home, slug="under-home")
    assert posted.status_code in (302, 403)
    assert not ArticlePage.objects.filter(slug="under-home").exists()


def test_publishing_without_a_standfirst_shows_a_form_error(client, editor, world):
    client.force_login(editor)
    response = post_article(client, world, slug="no-standfirst", standfirst="")
    assert response.status_code == 200
    assert "standfirst" in response.context["form"].errors
    assert not ArticlePage.objects.filter(slug="no-standfirst").exists()


def test_publishing_with_an_empty_body_shows_a_form_error(client, editor, world):
    client.force_login(editor)
    response = post_article(client, world, slug="no-body", body=streamfield([]))
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert not ArticlePage.objects.filter(slug="no-body").exists()


def edit_article_url(article: ArticlePage) -> str:
    return reverse("wagtailadmin_pages:edit", args=[article.pk])


def without(data: dict, name: str) -> dict:
    return {key: value for key, value in data.items() if key != name}


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda data: without(data, "body-count"), id="no-body-count"),
        pytest.param(lambda data: {**data, "body-count": "many"}, id="garbage-count"),
        pytest.param(lambda data: {**data, "body-count": "5"}, id="count-beyond-blocks"),
        pytest.param(lambda data: {**data, "body-0-order": "first"}, id="garbage-order"),
        pytest.param(lambda data: without(data, "body-0-deleted"), id="no-deleted-flag"),
    ],
)
def test_a_tampered_story_edit_is_refused_with_a_message(client, editor, article, tamper, caplog):
    client.force_login(editor)
    client.raise_request_exception = False
    data = tamper(article_form(slug=article.slug))
    data["action-publish"] = "action-publish"
    title_before = article.title

    with caplog.at_level("WARNING"):
        response = client.post(edit_article_url(article), data)

    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert any(
        record.levelname == "WARNING" and edit_article_url(article) in record.getMessage()
        for record in caplog.records
    )
    article.refresh_from_db()
    assert article.title == title_before


def test_a_new_story_posted_without_its_body_count_is_refused(client, editor, world):
    client.force_login(editor)
    client.raise_request_exception = False
    data = without(article_form(slug="tampered"), "body-count")
    response = client.post(add_article_url(world), data)
    assert response.status_code == 400
    assert not ArticlePage.objects.filter(slug="tampered").exists()


def test_publishing_without_a_headline_shows_a_form_error(client, editor, world):
    client.force_login(editor)
    response = post_article(client, world, slug="no-title", title="")
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not ArticlePage.objects.filter(slug="no-title").exists()


@pytest.mark.parametrize("slug", ["search", "tags", "authors"])
def test_a_section_cannot_take_an_address_the_site_uses(client, editor, home, slug):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["news", "sectionpage", home.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update(
        {"title": slug.title(), "slug": slug, "description": "A line.", "action-publish": "1"}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert not SectionPage.objects.child_of(home).filter(slug=slug).exists()


def english_only_article(world, slug="english-only-story") -> ArticlePage:
    author = Author.objects.get(slug="oliver-grant", locale__language_code="en")
    return services.create_article(
        world,
        title="A story only in English",
        slug=slug,
        standfirst="Nobody has translated it yet.",
        paragraphs=["Only English text here."],
        authors=[author],
    )


def test_an_editor_can_open_the_translate_view_of_an_article(client, editor, world):
    article = english_only_article(world)
    client.force_login(editor)
    response = client.get(reverse("simple_translation:submit_page_translation", args=[article.pk]))
    assert response.status_code == 200
    assert 'name="locales"' in response.content.decode()


def test_translating_an_article_in_the_admin_creates_a_linked_draft_in_that_language(
    client, editor, world
):
    article = english_only_article(world)
    russian = Locale.objects.get(language_code="ru")
    client.force_login(editor)

    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[article.pk]),
        {"locales": [russian.pk]},
    )
    assert response.status_code == 302

    translation = ArticlePage.objects.get(translation_key=article.translation_key, locale=russian)
    assert not translation.live
    assert translation.get_parent().specific.locale == russian
    assert translation.get_parent().slug == "world"
    assert translation.standfirst == article.standfirst
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[translation.pk])
    # A draft is not shown to Russian readers yet.
    assert client.get(f"/ru/world/{article.slug}/").status_code == 404


def test_a_contributor_cannot_use_the_translate_view(client, contributor, world):
    article = english_only_article(world)
    client.force_login(contributor)
    response = client.get(reverse("simple_translation:submit_page_translation", args=[article.pk]))
    assert response.status_code in (302, 403)
    assert response.status_code != 200


def settings_url() -> str:
    return reverse("wagtailsettings:edit", args=["core", "sitesettings", SiteSettings.load().pk])


def settings_form(client) -> dict:
    response = client.get(settings_url())
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="w-editor-form")


def test_an_editor_can_save_the_site_settings(client, editor):
    client.force_login(editor)
    data = settings_form(client)
    assert data["time_zone"] == "Asia/Yerevan"
    data["time_zone"] = "Europe/London"
    data["telegram_url"] = "https://t.me/another_channel"

    response = client.post(settings_url(), data)
    assert response.status_code == 302

    saved = SiteSettings.load()
    assert saved.time_zone == "Europe/London"
    assert saved.telegram_url == "https://t.me/another_channel"
    assert saved.texts.count() == 4


def test_an_unknown_time_zone_is_refused_with_a_message(client, editor):
    client.force_login(editor)
    data = settings_form(client)
    data["time_zone"] = "Mars/Olympus_Mons"

    response = client.post(settings_url(), data)
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert "Mars/Olympus_Mons" in response.content.decode()
    assert SiteSettings.load().time_zone == "Asia/Yerevan"


def test_a_contributor_cannot_edit_the_site_settings(client, contributor):
    client.force_login(contributor)
    response = client.get(settings_url())
    assert response.status_code in (302, 403)
    assert response.status_code != 200
