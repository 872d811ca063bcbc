"""Language desks: members write and publish in their language only; translations are
assigned to people with a due time, and each sees "my assignments"."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from dateline.core.models import SiteSettings
from dateline.news import desks, services
from dateline.news.models import ArticlePage, TranslationAssignment
from tests.factories import story

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_member(locale):
    def make(code: str, username: str):
        user = get_user_model().objects.create_user(
            username, password="pass-for-tests-123", first_name=username.title()
        )
        user.groups.add(Group.objects.get(name=desks.desk_name(locale(code))))
        return user

    return make


def test_every_site_language_has_a_desk_granted_on_its_home_page(locale):
    for code in ("en", "ru", "hy", "az"):
        group = Group.objects.get(name=desks.desk_name(locale(code)))
        grants = set(group.page_permissions.values_list("page__locale__language_code", flat=True))
        assert grants == {code}
        assert group.permissions.filter(codename="access_admin").exists()
    # Running setup again makes no second desk.
    desks.ensure_language_desks()
    assert Group.objects.filter(name__startswith="Desk: ").count() == 4


def test_a_russian_desk_editor_publishes_in_russian_but_not_in_english(
    client, desk_member, article, locale
):
    irina = desk_member("ru", "irina")
    russian = article.get_translation(locale("ru"))
    assert russian.permissions_for_user(irina).can_publish()
    assert not article.permissions_for_user(irina).can_publish()
    assert not article.permissions_for_user(irina).can_edit()

    client.force_login(irina)
    published_before = article.last_published_at
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {"title": "Taken over", "slug": article.slug, "action-publish": "publish"},
    )
    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert article.title != "Taken over"
    assert article.last_published_at == published_before
    # Her own language's editor opens.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[russian.pk])).status_code == 200


def test_a_desk_starts_translations_into_its_own_language_only(client, desk_member, world, locale):
    irina = desk_member("ru", "irina")
    source = story(world, "desk-only-russian")
    client.force_login(irina)

    refused = client.post(reverse("news_translate", args=[source.pk, "hy"]))
    assert refused.status_code in (302, 403)
    assert not ArticlePage.objects.filter(
        translation_key=source.translation_key, locale=locale("hy")
    ).exists()

    made = client.post(reverse("news_translate", args=[source.pk, "ru"]))
    russian = ArticlePage.objects.get(translation_key=source.translation_key, locale=locale("ru"))
    assert made["Location"] == reverse("wagtailadmin_pages:edit", args=[russian.pk])
    services.publish(russian, user=irina)
    assert russian.permissions_for_user(irina).can_publish()

    # The overview offers her buttons only in Russian.
    page = client.get(reverse("news_translations")).content.decode()
    row = page.split(f'data-translation-row="{source.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-state="ru:published"' in row
    assert f"/translations/{source.pk}/ru/" in row
    assert f"/translations/{source.pk}/hy/" not in row


def test_assigning_shows_on_the_overview_and_in_my_assignments_until_published(
    client, editor, desk_member, world, locale
):
    irina = desk_member("ru", "irina")
    source = story(world, "assigned-to-irina")
    due = timezone.now() + timedelta(hours=3)
    newsroom_zone = ZoneInfo(SiteSettings.load().time_zone)
    client.force_login(editor)
    response = client.post(
        reverse("news_assign_translation", args=[source.pk, "ru"]),
        {
            "assignee": irina.pk,
            # Typed in the newsroom's time zone.
            "due_at": due.astimezone(newsroom_zone).strftime("%Y-%m-%d %H:%M"),
            "note": "Keep the quote in full",
        },
    )
    assert response.status_code == 302
    assignment = TranslationAssignment.objects.get(source=source, locale=locale("ru"))
    assert assignment.assignee == irina and assignment.assigned_by == editor
    assert abs(assignment.due_at - due) < timedelta(minutes=1)
    assert PageLogEntry.objects.filter(page=source, action=desks.ASSIGNED).exists()

    overview = client.get(reverse("news_translations")).content.decode()
    row = overview.split(f'data-translation-row="{source.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-assignee="irina"' in row

    client.force_login(irina)
    mine = client.get(reverse("news_my_assignments")).content.decode()
    to_do = mine.split('data-my-assignments="to-do"', 1)[1].split("</table>", 1)[0]
    assert f'data-assignment="{source.pk}:ru"' in to_do and "Keep the quote in full" in to_do
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-assignments-panel" in dashboard and source.title in dashboard

    client.post(reverse("news_translate", args=[source.pk, "ru"]))
    russian = ArticlePage.objects.get(translation_key=source.translation_key, locale=locale("ru"))
    services.publish(russian, user=irina)
    mine = client.get(reverse("news_my_assignments")).content.decode()
    assert 'data-my-assignments="to-do"' not in mine
    done = mine.split('data-my-assignments="done"', 1)[1]
    assert f'data-assignment="{source.pk}:ru"' in done
    assert "data-assignments-panel" not in client.get(reverse("wagtailadmin_home")).content.decode()
    # A published translation no longer shows whom it was with.
    client.force_login(editor)
    overview = client.get(reverse("news_translations")).content.decode()
    row = overview.split(f'data-translation-row="{source.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "data-assignee" not in row


def test_an_overdue_assignment_is_marked(client, editor, desk_member, world, locale):
    aram = desk_member("hy", "aram")
    source = story(world, "late-translation")
    desks.assign(source, locale("hy"), aram, due_at=timezone.now() - timedelta(hours=1), by=editor)
    client.force_login(aram)
    mine = client.get(reverse("news_my_assignments")).content.decode()
    row = mine.split(f'data-assignment="{source.pk}:hy"', 1)[1].split("</tr>", 1)[0]
    assert "data-overdue" in row


def test_a_translation_goes_only_to_someone_who_writes_in_that_language(
    client, editor, desk_member, world, locale
):
    irina = desk_member("ru", "irina")
    source = story(world, "wrong-desk")
    with pytest.raises(ValidationError):
        desks.assign(source, locale("hy"), irina, by=editor)
    with pytest.raises(ValidationError):
        desks.assign(source, locale("en"), irina, by=editor)

    client.force_login(editor)
    response = client.post(
        reverse("news_assign_translation", args=[source.pk, "hy"]), {"assignee": irina.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    bad_time = client.post(
        reverse("news_assign_translation", args=[source.pk, "ru"]),
        {"assignee": irina.pk, "due_at": "tomorrow-ish", "note": "x" * 5000},
    )
    assert bad_time.status_code == 400
    assert not TranslationAssignment.objects.filter(source=source).exists()
    # A translation into the story's own language is refused outright.
    assert client.get(reverse("news_assign_translation", args=[source.pk, "en"])).status_code in (
        302,
        403,
    )


def test_only_those_who_publish_in_a_language_hand_out_its_work(
    client, desk_member, contributor, world, locale
):
    irina = desk_member("ru", "irina")
    aram = desk_member("hy", "aram")
    source = story(world, "who-assigns")
    client.force_login(irina)
    refused = client.post(
        reverse("news_assign_translation", args=[source.pk, "hy"]), {"assignee": aram.pk}
    )
    assert refused.status_code in (302, 403)
    client.force_login(contributor)
    refused = client.post(
        reverse("news_assign_translation", args=[source.pk, "ru"]), {"assignee": irina.pk}
    )
    assert refused.status_code in (302, 403)
    assert not TranslationAssignment.objects.filter(source=source).exists()

    # Irina hands Russian work to a contributor, who writes in every language.
    client.force_login(irina)
    response = client.post(
        reverse("news_assign_translation", args=[source.pk, "ru"]), {"assignee": contributor.pk}
    )
    assert response.status_code == 302
    assert TranslationAssignment.objects.get(source=source).assignee == contributor


def test_unassigning_and_reassigning(client, editor, desk_member, world, locale):
    irina = desk_member("ru", "irina")
    olga = desk_member("ru", "olga")
    source = story(world, "handed-over")
    desks.assign(source, locale("ru"), irina, by=editor)
    desks.assign(source, locale("ru"), olga, by=editor)
    assert TranslationAssignment.objects.get(source=source).assignee == olga
    client.force_login(editor)
    client.post(reverse("news_assign_translation", args=[source.pk, "ru"]), {"unassign": "1"})
    assert not TranslationAssignment.objects.filter(source=source).exists()
    assert PageLogEntry.objects.filter(page=source, action=desks.UNASSIGNED).exists()
    client.force_login(olga)
    assert "data-my-assignments-none" in client.get(reverse("news_my_assignments")).content.decode()
