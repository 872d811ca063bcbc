"""Cached fragments (navigation, footer, most read, more from the section, the home
page's stories) never show readers an old site: every publish, unpublish, move or
delete of a page and every save of the site settings retires them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from wagtail.rich_text import RichText

from dateline.core import fragments
from dateline.core.models import SiteSettings
from dateline.news import services
from dateline.news.models import ArticlePage, SectionPage, StandardPage

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def _publish_story(section: SectionPage, slug: str, title: str) -> ArticlePage:
    return services.create_article(
        section,
        title=title,
        slug=slug,
        standfirst="A standfirst.",
        body=[("paragraph", RichText("<p>Text.</p>"))],
    )


def _texts(page: BeautifulSoup, selector: str) -> list[str]:
    return [node.get_text(strip=True) for node in page.select(selector)]


@pytest.fixture
def warm(client, home, world, article):
    """Every fragment of the home, section and article pages cached."""
    for url in (home.url, world.url, article.url, home.url, world.url, article.url):
        client.get(url)


def test_a_published_story_appears_on_the_home_page_and_in_more_from_the_section(
    client, warm, home, world, article
):
    fresh = _publish_story(world, "breaking-fragment", "Breaking: the harbour reopens")
    assert fresh.title in _texts(soup(client.get(home.url)), ".lead-title a")
    older = world.articles().exclude(pk=fresh.pk).first()
    assert fresh.title in _texts(soup(client.get(older.url)), ".more-from .card-title a")


def test_an_unpublished_story_leaves_the_home_page_and_more_from_the_section(
    client, warm, home, world, article
):
    sibling = world.articles().exclude(pk=article.pk).first()
    assert article.title in _texts(soup(client.get(sibling.url)), ".more-from .card-title a")
    article.unpublish()
    assert article.title not in _texts(soup(client.get(home.url)), "main a")
    assert article.title not in _texts(soup(client.get(sibling.url)), ".more-from .card-title a")


def test_a_deleted_story_leaves_the_home_page(client, warm, home, article):
    title = article.title
    article.delete()
    assert title not in _texts(soup(client.get(home.url)), "main a")


def test_a_moved_story_is_listed_in_its_new_section(client, warm, world, article):
    economy = SectionPage.objects.get(slug="economy", locale__language_code="en")
    client.get(economy.url)
    article.move(economy, pos="last-child")
    moved = ArticlePage.objects.get(pk=article.pk)
    newest_in_economy = economy.articles().first()
    assert newest_in_economy.pk == moved.pk
    assert moved.title in _texts(soup(client.get(economy.url)), "main .card-title a")
    assert moved.title not in _texts(soup(client.get(world.url)), "main .card-title a")


def test_a_published_story_leaves_the_frame_of_every_page_cached(client, warm, home, world):
    """A breaking story re-renders the listings, not the navigation, footer and search
    overlay around them, which it cannot change."""
    structure = fragments.structure_generation()
    content = fragments.generation()
    _publish_story(world, "frame-stays", "A story that changes no navigation")
    assert fragments.structure_generation() == structure
    assert fragments.generation() != content
    page = soup(client.get(home.url))
    assert world.title in _texts(page, ".section-nav a")
    assert "A story that changes no navigation" in _texts(page, ".lead-title a")


def test_an_unpublished_section_leaves_the_navigation_of_every_page(
    client, warm, home, world, article
):
    economy = SectionPage.objects.get(slug="economy", locale__language_code="en")
    structure = fragments.structure_generation()
    economy.unpublish()
    assert fragments.structure_generation() != structure
    for url in (home.url, article.url):
        page = soup(client.get(url))
        assert economy.title not in _texts(page, ".section-nav a")
        assert economy.title not in _texts(page, ".footer-sections a")


def test_a_new_about_page_appears_in_the_footer_of_every_page(client, warm, home, article):
    about = StandardPage(title="Corrections policy", slug="corrections", locale=home.locale)
    home.add_child(instance=about)
    services.publish(about)
    for url in (home.url, article.url):
        assert "Corrections policy" in _texts(soup(client.get(url)), ".footer-pages a")


def test_a_renamed_section_is_renamed_in_the_navigation_of_every_page(
    client, warm, home, world, article
):
    world.title = "Planet"
    services.publish(world)
    for url in (home.url, article.url):
        page = soup(client.get(url))
        assert "Planet" in _texts(page, ".section-nav a")
        assert "Planet" in _texts(page, ".footer-sections a")


def test_site_settings_changes_show_in_the_header_and_footer(client, warm, article):
    site_settings = SiteSettings.load()
    site_settings.telegram_url = "https://t.me/another_channel"
    site_settings.save()
    text = site_settings.texts.get(language="en")
    text.reuse_notice = "Quote us with a link, please."
    text.save()
    page = soup(client.get(article.url))
    assert page.select_one(".site-header a.social-telegram")["href"] == site_settings.telegram_url
    assert page.select_one(".site-footer .reuse-notice").get_text(strip=True) == text.reuse_notice


def test_the_section_being_read_is_marked_in_the_navigation(client, warm, world):
    economy = SectionPage.objects.get(slug="economy", locale__language_code="en")
    for section in (world, economy, world):
        current = soup(client.get(section.url)).select('.section-nav a[aria-current="page"]')
        assert [a.get_text(strip=True) for a in current] == [section.title]


def test_each_language_gets_its_own_navigation(client, warm, home, locale):
    russian = home.get_translation(locale("ru"))
    nav = _texts(soup(client.get(russian.url)), ".section-nav a")
    assert "Мир" in nav and "World" not in nav


def test_a_preview_is_never_served_from_or_stored_in_the_cache(client, warm, admin_user, world):
    draft = world.articles().first()
    draft.title = "A draft headline nobody may see yet"
    draft.save_revision()
    client.force_login(admin_user)
    preview = client.get(f"/admin/pages/{draft.pk}/edit/preview/")
    assert preview.status_code in (200, 405)
    client.logout()
    assert draft.title not in client.get(world.url).content.decode()


def test_page_addresses_follow_a_changed_site_within_a_request(home):
    """Page addresses come from site root paths kept per structure generation; saving a
    site starts a new one, so the very next address uses the site's new host."""
    from wagtail.models import Page, Site

    fragments.begin_request()
    try:
        before = Page.objects.get(pk=home.pk).full_url
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = "news.example.org", 443
        site.save()
        after = Page.objects.get(pk=home.pk).full_url
    finally:
        fragments.end_request()
    assert not before.startswith("https://news.example.org/")
    assert after == "https://news.example.org" + home.url
