"""A section's stories in the admin's page explorer: the same stories, order and pages as
Wagtail's own listing, read in two steps (ids, then the page's stories)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.models import Page

from dateline.news.admin import StoryFilterSet
from tests.factories import story

pytestmark = pytest.mark.django_db


def _listed(response, section) -> list[int]:
    """The stories a listing shows, in order (each row links to its edit view; so does the
    header, to the section's)."""
    linked = re.findall(r'/admin/pages/(\d+)/edit/"', response.content.decode())
    return [pk for pk in dict.fromkeys(int(pk) for pk in linked) if pk != section.pk]


@pytest.fixture
def crowded(world):
    """World with more stories than one page of the listing holds, each changed at its
    own time, and one unpublished draft among them."""
    now = timezone.now()
    for n in range(55 - Page.objects.child_of(world).count()):
        story(world, f"crowded-{n:02}", publish=n != 7)
    for n, page in enumerate(Page.objects.child_of(world).order_by("pk")):
        Page.objects.filter(pk=page.pk).update(
            latest_revision_created_at=now - timedelta(minutes=n * 7 % 55)
        )
    return world


def test_a_section_lists_its_stories_by_latest_change_fifty_to_a_page(client, admin_user, crowded):
    expected = list(
        Page.objects.child_of(crowded)
        .order_by(F("latest_revision_created_at").desc(nulls_last=True))
        .values_list("pk", flat=True)
    )
    assert len(expected) == 55
    client.force_login(admin_user)
    url = reverse("wagtailadmin_explore", args=[crowded.pk])
    first = client.get(url)
    assert first.status_code == 200
    assert _listed(first, crowded) == expected[:50]
    assert "1-50 of 55" in first.content.decode()
    second = client.get(url, {"p": 2})
    assert _listed(second, crowded) == expected[50:]
    # The unpublished draft is there: an administrator explores every page.
    draft = Page.objects.child_of(crowded).get(live=False)
    assert draft.pk in expected
    # A page past the last shows the last; a page number that is no number, the first.
    assert _listed(client.get(url, {"p": 99}), crowded) == expected[50:]
    assert _listed(client.get(url, {"p": "x"}), crowded) == expected[:50]
    # In the order asked.
    by_title = Page.objects.child_of(crowded).order_by("title", "-pk")
    listed = _listed(client.get(url, {"ordering": "title"}), crowded)
    titles = dict(Page.objects.child_of(crowded).values_list("pk", "title"))
    assert [titles[pk] for pk in listed] == [page.title for page in by_title[:50]]


def test_a_contributor_explores_only_what_the_permissions_allow(client, contributor, editor, world):
    draft = story(world, "an-editors-draft", publish=False, owner=editor)
    client.force_login(contributor)
    response = client.get(reverse("wagtailadmin_explore", args=[world.pk]))
    assert response.status_code == 200
    listed = _listed(response, world)
    assert draft.pk not in listed
    assert set(listed) == set(Page.objects.child_of(world).live().values_list("pk", flat=True))


def test_the_owner_and_editor_filters_offer_the_users_wagtail_would(rf, admin_user, world, editor):
    story(world, "owned-by-the-editor", owner=editor)
    request = rf.get("/")
    for name in ("owner", "edited_by"):
        ours = StoryFilterSet.base_filters[name].queryset(request)
        wagtails = PageFilterSet.base_filters[name].queryset(request)
        assert set(ours) == set(wagtails), name
    owners = set(StoryFilterSet.base_filters["owner"].queryset(request))
    assert editor in owners
    assert get_user_model().objects.exclude(pk__in=[u.pk for u in owners]).exists()
