"""Corrections and material updates: a correction noted on a published story shows at its
end, in its structured data, its feed, the API and the language's Corrections page; a
material update shows "Updated" beside the publish time; ordinary publishes show neither."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from dateline.news import services
from dateline.news.models import ArticleCorrection, ArticlePage, SectionPage
from tests.factories import story

from .test_admin import add_article_url, article_form

pytestmark = pytest.mark.django_db


def structured(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def news_article(html: str) -> dict:
    for data in structured(html):
        for item in data if isinstance(data, list) else [data]:
            if item.get("@type") == "NewsArticle":
                return item
    raise AssertionError("no NewsArticle")


def test_a_correction_shows_at_the_end_of_the_story_and_in_its_structured_data(client, world):
    article = story(world, "bridge-age", text="The bridge is 62 years old.")
    services.note_correction(article, text="An earlier version gave the bridge's age as 72 years.")
    html = client.get(article.url).content.decode()
    corrections = html.split('class="corrections"')[1]
    assert "Correction" in corrections
    assert "An earlier version gave the bridge&#x27;s age as 72 years." in corrections
    assert html.index('class="corrections"') > html.index("data-story-body")
    [comment] = news_article(html)["correction"]
    assert comment["@type"] == "CorrectionComment"
    assert comment["text"] == "An earlier version gave the bridge's age as 72 years."


def test_an_ordinary_publish_shows_no_update_and_no_corrections(client, world):
    article = story(world, "plain-story")
    services.publish(ArticlePage.objects.get(pk=article.pk))
    html = client.get(article.url).content.decode()
    assert 'class="updated"' not in html and 'class="corrections"' not in html
    assert "correction" not in news_article(html)


def test_the_corrections_page_lists_the_languages_corrections_newest_first(client, world):
    older = story(world, "older-story")
    newer = story(world, "newer-story")
    now = timezone.now()
    services.note_correction(older, text="First note.", noted_at=now - timedelta(hours=2))
    services.note_correction(
        newer, text="Second note.", kind="clarification", noted_at=now - timedelta(hours=1)
    )
    html = client.get("/en/corrections/").content.decode()
    assert html.index("Second note.") < html.index("First note.")
    assert "Clarification" in html and newer.url in html
    assert "Corrections" in client.get("/en/").content.decode()  # linked in the footer


def test_the_corrections_page_speaks_the_pages_language(client):
    russian = SectionPage.objects.get(slug="world", locale__language_code="ru")
    article = story(russian, "ru-story", title="Мост закрыт")
    services.note_correction(article, text="Возраст моста исправлен.")
    html = client.get("/ru/corrections/").content.decode()
    assert "Исправление" in html and "Возраст моста исправлен." in html
    assert "Возраст моста исправлен." not in client.get("/en/corrections/").content.decode()


def test_a_pulled_story_takes_its_corrections_off_the_page(client, world):
    article = story(world, "pulled-story")
    services.note_correction(article, text="A note on a pulled story.")
    services.unpublish(ArticlePage.objects.get(pk=article.pk))
    assert "A note on a pulled story." not in client.get("/en/corrections/").content.decode()


def test_the_api_and_the_feed_carry_the_correction(client, world):
    article = story(world, "api-story")
    services.note_correction(article, text="The figure was 4.3 km, not 3.4 km.")
    data = client.get(f"/api/v1/articles/{article.pk}").json()
    [correction] = data["corrections"]
    assert correction["kind"] == "correction"
    assert correction["text"] == "The figure was 4.3 km, not 3.4 km."
    assert data["material_update_at"] is None
    feed = client.get("/en/world/rss.xml").content.decode()
    item = feed.split("<title>Api story</title>")[1].split("</item>")[0]
    assert "The figure was 4.3 km, not 3.4 km." in item


def test_a_correction_on_an_unpublished_story_is_refused(world):
    draft = story(world, "draft-story", publish=False)
    with pytest.raises(services.CorrectionRefused, match="published story"):
        services.note_correction(draft, text="Too early.")
    assert not ArticleCorrection.objects.filter(article=draft).exists()


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001])
def test_a_correction_without_a_usable_text_is_refused(world, text):
    article = story(world, "text-story")
    with pytest.raises(services.CorrectionRefused, match="at most 1000"):
        services.note_correction(article, text=text)


def test_script_in_a_correction_is_shown_as_text(client, world):
    article = story(world, "script-story")
    services.note_correction(article, text="<script>alert(1)</script> fixed")
    html = client.get(article.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; fixed" in html


# --- in the editor ----------------------------------------------------------------------


def edit_url(article: ArticlePage) -> str:
    return reverse("wagtailadmin_pages:edit", args=[article.pk])


def edit_form(article: ArticlePage, **overrides) -> dict:
    data = article_form(slug=article.slug, title=article.title, **overrides)
    data["action-publish"] = "action-publish"
    return data


def test_an_editor_marks_a_material_update_and_readers_see_updated(client, editor, world):
    article = story(world, "developing-story")
    client.force_login(editor)
    assert client.post(edit_url(article), edit_form(article)).status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).updated_at is None  # a typo fix

    before = timezone.now()
    data = edit_form(article, material_update="on")
    assert client.post(edit_url(article), data).status_code == 302
    updated = ArticlePage.objects.get(pk=article.pk)
    assert updated.updated_at >= before
    html = client.get(updated.url).content.decode()
    assert 'class="updated"' in html and "Updated" in html
    assert news_article(html)["dateModified"] >= news_article(html)["datePublished"]
    api = client.get(f"/api/v1/articles/{article.pk}").json()
    assert api["material_update_at"] is not None


def test_an_editor_notes_a_correction_in_the_editor(client, editor, world):
    article = story(world, "edited-story")
    client.force_login(editor)
    data = edit_form(article)
    data.update(
        nested_form_data(
            {
                "corrections": inline_formset(
                    [
                        {
                            "kind": "clarification",
                            "text": "The closure applies to cars only.",
                            "noted_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
                            "id": "",
                        }
                    ]
                )
            }
        )
    )
    assert client.post(edit_url(article), data).status_code == 302
    html = client.get(article.url).content.decode()
    assert "The closure applies to cars only." in html


def test_the_new_story_form_refuses_a_correction_and_an_update(client, editor, world):
    client.force_login(editor)
    data = article_form(slug="brand-new", material_update="on")
    data.update(
        nested_form_data(
            {
                "corrections": inline_formset(
                    [{"kind": "correction", "text": "Premature.", "noted_at": "", "id": ""}]
                )
            }
        )
    )
    data["action-publish"] = "action-publish"
    response = client.post(add_article_url(world), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "only be noted on a story that has been published" in html
    assert "has not been published has no update yet" in html
    assert not ArticlePage.objects.filter(slug="brand-new").exists()
