"""The newsroom's clock: editors see and enter times in the site's time zone (or the one
they chose in their account), and every time input says which zone it is in."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from dateline.core.models import SiteSettings
from dateline.news.models import ArticlePage
from tests.news.test_admin import add_article_url, article_form, post_article

pytestmark = pytest.mark.django_db

YEREVAN = ZoneInfo("Asia/Yerevan")


def edit_url(article: ArticlePage) -> str:
    return reverse("wagtailadmin_pages:edit", args=[article.pk])


def edit_form(client, article: ArticlePage) -> dict:
    response = client.get(edit_url(article))
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="page-edit-form")


def test_the_demo_site_keeps_its_clock_in_yerevan():
    assert SiteSettings.load().time_zone == "Asia/Yerevan"


def test_a_go_live_time_entered_in_the_site_zone_is_stored_in_utc_and_shown_back(
    client, editor, world
):
    client.force_login(editor)
    response = post_article(client, world, slug="goes-live-later", go_live_at="2030-01-15 11:43")
    assert response.status_code == 302

    article = ArticlePage.objects.child_of(world).get(slug="goes-live-later")
    assert not article.live
    assert article.go_live_at == datetime(2030, 1, 15, 7, 43, tzinfo=UTC)
    assert edit_form(client, article)["go_live_at"] == "2030-01-15 11:43"


def test_the_publish_time_shown_to_readers_is_entered_as_readers_see_it(client, editor, article):
    client.force_login(editor)
    shown = edit_form(client, article)["first_published_at"]
    assert shown == timezone.localtime(article.first_published_at, YEREVAN).strftime(
        "%Y-%m-%d %H:%M"
    )
    # The form as the browser posts it (its body is built by the page's script).
    data = article_form(slug=article.slug, first_published_at="2026-11-28 11:43")
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(article), data)
    assert response.status_code == 302

    article.refresh_from_db()
    assert article.first_published_at == datetime(2026, 11, 28, 7, 43, tzinfo=UTC)
    assert edit_form(client, article)["first_published_at"] == "2026-11-28 11:43"
    client.logout()
    story = client.get(article.url).content.decode()
    assert "11:43" in story
    assert "07:43" not in story


def test_an_editor_who_chose_a_zone_in_their_account_works_in_it(client, editor, world):
    profile = UserProfile.get_for_user(editor)
    profile.current_time_zone = "Europe/London"
    profile.save()
    client.force_login(editor)
    post_article(client, world, slug="london-time", go_live_at="2030-01-15 11:43")

    article = ArticlePage.objects.child_of(world).get(slug="london-time")
    assert article.go_live_at == datetime(2030, 1, 15, 11, 43, tzinfo=UTC)
    page = client.get(edit_url(article)).content.decode()
    assert "Times are in Europe/London, your own time zone" in page


def test_every_time_input_of_the_editor_names_the_site_zone(client, editor, world):
    client.force_login(editor)
    page = client.get(add_article_url(world)).content.decode()
    # Go-live, expiry, the publish time shown to readers, a correction's time, and the
    # source's original publication time.
    assert page.count("Times are in Asia/Yerevan, the site’s time zone.") == 5


def test_the_zone_label_is_translated(client, editor, world):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ru"
    profile.save()
    client.force_login(editor)
    page = client.get(add_article_url(world)).content.decode()
    assert "Время указано в поясе Asia/Yerevan — часовом поясе сайта." in page
    assert "Times are in" not in page


def test_a_change_of_the_site_zone_moves_the_newsroom_clock_at_once(client, editor, world):
    client.force_login(editor)
    settings_url = reverse(
        "wagtailsettings:edit", args=["core", "sitesettings", SiteSettings.load().pk]
    )
    data = querydict_from_html(client.get(settings_url).content.decode(), form_id="w-editor-form")
    data["time_zone"] = "Asia/Tokyo"
    assert client.post(settings_url, data).status_code == 302

    post_article(client, world, slug="tokyo-time", go_live_at="2030-01-15 11:43")
    article = ArticlePage.objects.child_of(world).get(slug="tokyo-time")
    assert article.go_live_at == datetime(2030, 1, 15, 2, 43, tzinfo=UTC)


def test_history_and_listings_give_times_in_the_site_zone(client, editor, article):
    from wagtail.models import PageLogEntry

    moment = datetime(2026, 11, 28, 7, 43, tzinfo=UTC)
    PageLogEntry.objects.create(
        page=article, action="wagtail.edit", label=article.title, user=editor, timestamp=moment
    )
    ArticlePage.objects.filter(pk=article.pk).update(latest_revision_created_at=moment)
    client.force_login(editor)

    history = client.get(reverse("wagtailadmin_pages:history", args=[article.pk]))
    assert 'datetime="2026-11-28T11:43:00+04:00"' in history.content.decode()
    listing = client.get(reverse("wagtailadmin_explore", args=[article.get_parent().pk]))
    assert 'datetime="2026-11-28T11:43:00+04:00"' in listing.content.decode()


def test_the_account_page_offers_the_sites_zone_as_the_default(client, editor):
    client.force_login(editor)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "Use the site’s time zone" in page
    assert 'data-w-locale-server-time-zone-param="Asia/Yerevan"' in page
    assert "Use server time zone" not in page
