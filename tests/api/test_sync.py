"""App sync: `updated_since` gives every change since a time, oldest first, and tombstones
for the articles that left public view, so an app can drop them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dateline.api.models import ArticleChange
from dateline.news import services
from dateline.news.models import ArticlePage

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def sync(api, since, lang="en", **params) -> dict:
    """Every page of changes since `since`: ids of live items and of tombstones, in order."""
    response = api("articles", lang=lang, updated_since=since.isoformat(), **params)
    assert response.status_code == 200, response.data
    items, deleted = [], []
    while True:
        items += [item["id"] for item in response.data["items"]]
        deleted += [tomb["id"] for tomb in response.data["deleted"]]
        if not response.data["next"]:
            return {"items": items, "deleted": deleted}
        response = api(response.data["next"].removeprefix("/api/v1/"))


def test_every_demo_article_is_in_a_sync_from_the_beginning(api, locale):
    since = timezone.now() - timedelta(days=3650)
    synced = sync(api, since, limit=100)
    live = set(ArticlePage.objects.live().filter(locale=locale("en")).values_list("pk", flat=True))
    assert set(synced["items"]) == live and synced["deleted"] == []
    assert len(synced["items"]) == len(live)  # once each


def test_a_sync_reports_edits_unpublishing_deletion_and_moves_out_of_view(api, desk, write):
    section, private = desk(), desk(slug="members-only")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    edited, unpublished, deleted, moved, kept = (
        write(section, slug) for slug in ("edited", "unpublished", "deleted", "moved", "kept")
    )
    since = timezone.now()
    edited.standfirst = "A correction."
    services.publish(edited)
    unpublished.unpublish()
    deleted_id = deleted.pk
    deleted.delete()
    moved.move(private, pos="last-child")
    synced = sync(api, since, limit=2)
    assert synced["items"] == [edited.pk]
    assert synced["deleted"] == [unpublished.pk, deleted_id, moved.pk]
    assert kept.pk not in synced["items"] + synced["deleted"]


def test_a_tombstone_comes_with_its_language_and_time(api, desk, write):
    story = write(desk("ru"), "gone")
    since = timezone.now()
    story.unpublish()
    data = api("articles", lang="ru", updated_since=since.isoformat()).data
    assert data["items"] == []
    (tombstone,) = data["deleted"]
    assert tombstone["id"] == story.pk and tombstone["lang"] == "ru"
    assert tombstone["removed_at"] >= since.isoformat()[:19]
    assert api("articles", lang="en", updated_since=since.isoformat()).data["deleted"] == []


def test_a_republished_article_comes_back_as_an_item(api, desk, write):
    story = write(desk(), "back")
    since = timezone.now()
    story.unpublish()
    services.publish(ArticlePage.objects.get(pk=story.pk))
    assert sync(api, since) == {"items": [story.pk], "deleted": []}


def test_a_renamed_section_reports_its_articles(
    api, desk, write, django_capture_on_commit_callbacks
):
    section = desk()
    story = write(section, "in-renamed")
    since = timezone.now()
    section.slug = "renamed-desk"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals on commit
        services.publish(section)
    assert story.pk in sync(api, since)["items"]
    assert "/renamed-desk/" in api(f"articles/{story.pk}").data["url"]


def test_a_draft_never_makes_a_tombstone_or_an_item(api, desk, write):
    since = timezone.now()
    draft = write(desk(), "never", publish=False)
    draft.delete()
    assert sync(api, since) == {"items": [], "deleted": []}
    assert not ArticleChange.objects.filter(page_id=draft.pk).exists()


def test_filters_narrow_the_live_changes(api, desk, write):
    first, second = desk(), desk(slug="other-desk")
    since = timezone.now()
    one, two = write(first, "one"), write(second, "two")
    assert sync(api, since, section=first.slug)["items"] == [one.pk]
    assert sync(api, since)["items"] == [one.pk, two.pk]
