"""A new story opens clean: one empty paragraph in its body, no error before the editor
has sent anything, and the editor's own byline where their account has an author."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from dateline.news.models import ArticlePage, Author
from tests.news.test_admin import add_article_url, article_form

pytestmark = pytest.mark.django_db


def open_new_story(client, section) -> str:
    response = client.get(add_article_url(section))
    assert response.status_code == 200
    return response.content.decode()


def body_field(page: str) -> tuple[list[dict], object]:
    """The body's blocks and errors, as the editor's script receives them to draw it."""
    found = re.search(r'<div id="body"[^>]*data-w-block-arguments-value="([^"]*)"', page)
    assert found, "the body field is missing"
    blocks, errors = json.loads(unescape(found.group(1)))
    return blocks, errors


def byline(page: str) -> str:
    return querydict_from_html(page, form_id="page-edit-form")["bylines-0-author"]


def test_a_new_story_opens_without_an_error(client, editor, world):
    client.force_login(editor)
    page = open_new_story(client, world)
    assert "errorlist" not in page
    assert "The minimum number of items" not in page
    assert "error-message" not in page


def test_a_new_story_starts_with_one_empty_paragraph(client, editor, world):
    client.force_login(editor)
    blocks, errors = body_field(open_new_story(client, world))
    assert [block["type"] for block in blocks] == ["paragraph"]
    assert errors is None


def test_an_editor_with_an_author_profile_finds_their_byline_filled_in(client, editor, world):
    narine = Author.objects.get(slug="narine-galstyan", locale=world.locale)
    narine.user = editor
    narine.save()
    client.force_login(editor)
    assert byline(open_new_story(client, world)) == str(narine.pk)


def test_a_byline_is_filled_in_with_the_authors_name_in_the_sections_language(
    client, editor, world
):
    english = Author.objects.get(slug="narine-galstyan", locale=world.locale)
    english.user = editor
    english.save()
    russian_world = world.get_translation(Locale.objects.get(language_code="ru"))
    russian = Author.objects.get(
        translation_key=english.translation_key, locale__language_code="ru"
    )
    client.force_login(editor)
    assert byline(open_new_story(client, russian_world)) == str(russian.pk)


def test_an_editor_without_an_author_profile_gets_an_empty_byline_and_no_error(
    client, editor, world
):
    client.force_login(editor)
    page = open_new_story(client, world)
    assert byline(page) == ""
    assert "errorlist" not in page


def test_a_story_sent_with_its_paragraph_left_empty_is_refused(client, editor, world):
    client.force_login(editor)
    data = article_form(slug="empty-paragraph")
    # What the editor's script sends for a paragraph nobody typed in.
    data.update(nested_form_data({"body": streamfield([("paragraph", "null")])}))
    data["action-publish"] = "action-publish"
    response = client.post(add_article_url(world), data)
    assert response.status_code == 200
    assert "body" in response.context["form"].errors
    assert not ArticlePage.objects.filter(slug="empty-paragraph").exists()
