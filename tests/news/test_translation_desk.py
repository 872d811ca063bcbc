"""The translation desk: each story's state in every other language, right after each
change, with filters, and one click to start a missing translation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail.rich_text import RichText

from dateline.news import services, translation_desk
from dateline.news.models import ArticlePage
from tests.factories import story

pytestmark = pytest.mark.django_db


def states_of(client, source, **filters) -> dict[str, str]:
    page = client.get(reverse("news_translations"), filters).content.decode()
    row = page.split(f'data-translation-row="{source.pk}"', 1)[1].split("</tr>", 1)[0]
    cells = [part.split('"', 1)[0] for part in row.split('data-state="')[1:]]
    return dict(cell.split(":") for cell in cells)


def test_a_new_story_is_missing_everywhere_then_draft_published_and_out_of_date(
    client, editor, world, locale
):
    client.force_login(editor)
    source = story(world, "harbour-crane")
    assert states_of(client, source) == {"ru": "missing", "hy": "missing", "az": "missing"}

    response = client.post(reverse("news_translate", args=[source.pk, "ru"]))
    russian = ArticlePage.objects.get(translation_key=source.translation_key, locale=locale("ru"))
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[russian.pk])
    assert not russian.live
    assert states_of(client, source)["ru"] == "draft"

    services.publish(russian)
    assert states_of(client, source)["ru"] == "published"

    # The English story is corrected and published again a while later.
    ArticlePage.objects.filter(pk=russian.pk).update(
        last_published_at=russian.last_published_at - timedelta(hours=2)
    )
    source.refresh_from_db()
    services.publish(source)
    assert states_of(client, source)["ru"] == "out-of-date"
    assert states_of(client, source)["hy"] == "missing"


def test_opening_an_existing_translation_makes_no_second_one(client, editor, article, locale):
    client.force_login(editor)
    russian = ArticlePage.objects.get(translation_key=article.translation_key, locale=locale("ru"))
    response = client.post(reverse("news_translate", args=[article.pk, "ru"]))
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[russian.pk])
    assert ArticlePage.objects.filter(translation_key=article.translation_key).count() == 4


def test_filters_by_language_and_state(client, editor, world):
    client.force_login(editor)
    fresh = story(world, "only-in-english")
    page = client.get(
        reverse("news_translations"), {"language": "hy", "state": "missing"}
    ).content.decode()
    # The new story, and the one the demo leaves for the Armenian desk to start.
    started_later = ArticlePage.objects.get(
        slug="korvan-rail-freight-terminal-tender-opens", locale__language_code="en"
    )
    shown = {int(part.split('"', 1)[0]) for part in page.split('data-translation-row="')[1:]}
    assert shown == {fresh.pk, started_later.pk}
    # Only the chosen language's column is shown.
    assert 'data-state="hy:missing"' in page and 'data-state="ru:' not in page
    published = client.get(
        reverse("news_translations"), {"language": "hy", "state": "published"}
    ).content.decode()
    assert f'data-translation-row="{fresh.pk}"' not in published
    assert published.count("data-translation-row=") >= 20


def test_the_state_filter_agrees_with_the_cells(world, locale):
    fresh = story(world, "filter-agrees")
    stories = translation_desk.sources(locale("en"))
    for state in translation_desk.STATES:
        chosen = list(translation_desk.with_state(stories, locale("az"), state)[:400])
        for row in translation_desk.rows(chosen, [locale("az")]):
            assert row.cells[0].state == state, (row.source.title, state)
    missing = translation_desk.with_state(stories, locale("az"), translation_desk.MISSING)
    assert fresh in missing


def test_sorted_oldest_first_and_by_section(client, editor, world):
    client.force_login(editor)
    page = client.get(reverse("news_translations"), {"order": "oldest"}).content.decode()
    oldest = translation_desk.sources(world.locale).order_by("first_published_at").first()
    first = int(page.split('data-translation-row="', 1)[1].split('"', 1)[0])
    assert first == oldest.pk
    by_section = client.get(reverse("news_translations"), {"section": world.pk}).content.decode()
    shown = {int(part.split('"', 1)[0]) for part in by_section.split('data-translation-row="')[1:]}
    in_world = set(ArticlePage.objects.descendant_of(world).values_list("pk", flat=True))
    assert shown and shown <= in_world


def test_someone_who_may_not_write_is_turned_away(client, article):
    reader = get_user_model().objects.create_user("reader", password="pass-for-tests-123")
    client.force_login(reader)
    assert client.get(reverse("news_translations")).status_code in (302, 403)
    before = ArticlePage.objects.count()
    client.post(reverse("news_translate", args=[article.pk, "ru"]))
    assert ArticlePage.objects.count() == before


def test_an_unknown_language_or_story_is_a_404(client, editor, article):
    client.force_login(editor)
    assert client.post(reverse("news_translate", args=[article.pk, "xx"])).status_code == 404
    assert client.post(reverse("news_translate", args=[999999, "ru"])).status_code == 404
    assert client.get(reverse("news_translations"), {"p": "abc", "section": "x"}).status_code == 200


def test_what_changed_in_the_source_since_the_translation(client, editor, world, locale):
    client.force_login(editor)
    source = story(
        world, "changing-source", text="The ferry leaves at six. Tickets cost two euros."
    )
    client.post(reverse("news_translate", args=[source.pk, "ru"]))
    russian = ArticlePage.objects.get(translation_key=source.translation_key, locale=locale("ru"))
    services.publish(russian)
    # The source is corrected and published again a while later.
    ArticlePage.objects.filter(pk=russian.pk).update(
        last_published_at=russian.last_published_at - timedelta(hours=2)
    )
    russian.refresh_from_db()
    PageLogEntry.objects.filter(page=source).update(
        timestamp=russian.last_published_at - timedelta(minutes=5)
    )
    source.refresh_from_db()
    source.body = [
        ("paragraph", RichText("<p>The ferry leaves at seven. Tickets cost two euros.</p>")),
        ("paragraph", RichText("<p>Bicycles travel free.</p>")),
    ]
    services.publish(source)
    overview = client.get(reverse("news_translations"), {"language": "ru"}).content.decode()
    assert reverse("news_translation_changes", args=[russian.pk]) in overview

    page = client.get(reverse("news_translation_changes", args=[russian.pk])).content.decode()
    assert "<del>six.</del>" in page and "<ins>seven.</ins>" in page
    assert '<p data-change="added"><ins>Bicycles travel free.</ins></p>' in page


def test_a_draft_translation_has_nothing_to_compare(client, editor, world):
    client.force_login(editor)
    source = story(world, "never-translated")
    client.post(reverse("news_translate", args=[source.pk, "az"]))
    draft = ArticlePage.objects.get(
        translation_key=source.translation_key, locale__language_code="az"
    )
    page = client.get(reverse("news_translation_changes", args=[draft.pk])).content.decode()
    assert "has not been published yet" in page
