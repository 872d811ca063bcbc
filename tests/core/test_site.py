"""The frame around every page (header, footer, search overlay), language routing and the
answers a reader gets to bad addresses."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from dateline.core.models import SiteSettings
from dateline.news.models import HomePage, SectionPage

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "hy", "az"]
SOCIAL_FIELDS = {
    "x": "x_url",
    "youtube": "youtube_url",
    "instagram": "instagram_url",
    "facebook": "facebook_url",
    "telegram": "telegram_url",
}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture(params=LANGUAGES)
def lang(request) -> str:
    return request.param


@pytest.fixture
def front(client, lang) -> BeautifulSoup:
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    return soup(response)


# --- Header and footer ----------------------------------------------------------------------


def test_header_navigation_lists_the_sections_of_the_current_language(front, lang):
    home = HomePage.objects.get(locale__language_code=lang)
    sections = list(home.sections())
    assert len(sections) == 6
    links = front.select("nav.section-nav a")
    assert [a["href"] for a in links] == [s.url for s in sections]
    assert [a.get_text(strip=True) for a in links] == [s.title for s in sections]
    assert all(a["href"].startswith(f"/{lang}/") for a in links)


def test_footer_repeats_the_section_navigation(front, lang):
    links = [a["href"] for a in front.select(".footer-sections a")]
    assert links == [a["href"] for a in front.select("nav.section-nav a")]


def test_current_section_is_marked_in_the_navigation(client, lang):
    section = SectionPage.objects.get(slug="sport", locale__language_code=lang)
    html = soup(client.get(section.url))
    current = html.select("nav.section-nav a[aria-current]")
    assert [a["href"] for a in current] == [section.url]


def test_header_and_footer_show_the_social_profiles_from_site_settings(front):
    site_settings = SiteSettings.load()
    for key, field in SOCIAL_FIELDS.items():
        url = getattr(site_settings, field)
        assert front.select_one(f".site-header a.social-{key}")["href"] == url
        assert front.select_one(f".site-footer a.social-{key}")["href"] == url
        assert front.select_one(f".site-header a.social-{key}")["aria-label"]


def test_an_emptied_social_profile_is_hidden(client):
    site_settings = SiteSettings.load()
    site_settings.youtube_url = ""
    site_settings.save()
    html = soup(client.get("/en/"))
    assert html.select("a.social-youtube") == []
    assert "youtube.com" not in str(html)
    assert html.select_one(".site-header a.social-telegram")


def test_a_changed_social_profile_is_shown_at_once(client):
    site_settings = SiteSettings.load()
    site_settings.telegram_url = "https://t.me/new_newsroom_channel"
    site_settings.save()
    html = soup(client.get("/ru/"))
    assert html.select_one(".site-header a.social-telegram")["href"] == (
        "https://t.me/new_newsroom_channel"
    )


def test_footer_links_to_the_mobile_apps(front):
    site_settings = SiteSettings.load()
    hrefs = [a["href"] for a in front.select(".site-footer .app-links a")]
    assert hrefs == [site_settings.app_store_url, site_settings.google_play_url]


def test_footer_hides_the_app_links_when_none_are_set(client):
    site_settings = SiteSettings.load()
    site_settings.app_store_url = ""
    site_settings.google_play_url = ""
    site_settings.save()
    html = soup(client.get("/en/"))
    assert html.select(".app-links") == []


def test_footer_shows_the_reuse_notice_in_the_current_language(front, lang):
    expected = SiteSettings.load().texts.get(language=lang).reuse_notice
    assert expected
    assert front.select_one(".site-footer .reuse-notice").get_text(strip=True) == expected


def test_the_reuse_notices_differ_between_languages(client):
    notices = {
        code: soup(client.get(f"/{code}/")).select_one(".reuse-notice").get_text(strip=True)
        for code in LANGUAGES
    }
    assert len(set(notices.values())) == len(LANGUAGES)
    assert "гиперссылкой" in notices["ru"]


def test_footer_shows_the_current_year(front):
    year = timezone.localdate(timezone=ZoneInfo("Asia/Yerevan")).year
    copyright_line = front.select_one(".site-footer .copyright").get_text(strip=True)
    assert copyright_line.startswith(f"© {year}")


def test_every_page_has_a_search_overlay_with_a_prompt(front, lang):
    overlay = front.select_one("#search-overlay")
    assert overlay.has_attr("hidden")
    prompt = overlay.select_one("label.search-prompt")
    assert prompt.get_text(strip=True)
    assert prompt["for"] == "search-overlay-input"
    form = overlay.select_one("form[role=search]")
    assert form["action"] == f"/{lang}/search/"
    assert form.select_one("input[name=q]")["id"] == "search-overlay-input"
    opener = front.select_one("button[data-search-open]")
    assert opener["aria-controls"] == "search-overlay"


def test_the_overlay_search_box_is_a_text_combobox_with_a_search_keyboard(front):
    # A combobox role (and aria-expanded) is not allowed on type=search, so the box is a
    # text input that still asks phones for a search keyboard.
    field = front.select_one("#search-overlay-input")
    assert field["type"] == "text"
    assert field["role"] == "combobox"
    assert field["aria-expanded"] == "false"
    assert field["inputmode"] == "search"
    assert field["enterkeyhint"] == "search"


def test_the_site_name_and_tagline_are_shown_in_the_current_language(front, lang):
    text = SiteSettings.load().texts.get(language=lang)
    assert front.select_one(".masthead .logo").get_text(strip=True) == text.site_name
    assert front.select_one(".masthead .logo")["href"] == f"/{lang}/"
    assert front.select_one(".masthead .tagline").get_text(strip=True) == text.tagline


# --- Language routing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [
        ("ru", "/ru/"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "/ru/"),
        ("az", "/az/"),
        ("hy-AM", "/hy/"),
        ("en-GB", "/en/"),
        ("de-DE,de;q=0.9", "/en/"),
        ("", "/en/"),
    ],
)
def test_the_root_address_redirects_to_the_readers_language(client, accept_language, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 302
    assert response["Location"] == target


def test_every_language_has_its_own_home_page(client, lang):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    assert soup(response).html["lang"] == lang


# --- Bad addresses --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/xx/", "/xx/world/", "/de/world/", "/english/"])
def test_an_unknown_language_prefix_ends_in_not_found(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/{lang}/no-such-page/", "/{lang}/world/no-such-story/", "/{lang}/tags/no-such-tag/"],
)
def test_not_found_page_is_in_the_language_of_the_address(client, lang, path):
    response = client.get(path.format(lang=lang))
    assert response.status_code == 404
    html = soup(response)
    assert html.html["lang"] == lang
    assert html.select_one('meta[name="robots"]')["content"] == "noindex"
    # The reader can find their way back: home link and sections in their language.
    assert html.select_one(".error-page a.button")["href"] == f"/{lang}/"
    assert all(a["href"].startswith(f"/{lang}/") for a in html.select("nav.section-nav a"))


def test_the_russian_not_found_page_is_marked_russian(client):
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="ru">' in response.content.decode()


@pytest.mark.parametrize("path", ["/en/", "/ru/world/", "/hy/search/"])
def test_a_huge_query_string_is_refused_not_a_server_error(client, path):
    client.raise_request_exception = False
    response = client.get(path + "?junk=" + "a" * 10_240)
    assert response.status_code == 414
    html = soup(response)
    assert html.h1.get_text(strip=True)
    assert html.html["lang"] == path.split("/")[1]


def test_a_long_but_reasonable_query_string_is_served(client):
    response = client.get("/en/?utm_campaign=" + "a" * 1000)
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/ru/", "/hy/world/some-story/"])
def test_the_database_outage_page_is_in_the_readers_language_even_before_routing(rf, path):
    """The site lookup runs before the language is chosen; a worker thread that last
    served an English reader must still answer this one in the language of the address."""
    from django.db import OperationalError
    from django.utils import translation

    from dateline.core.errors import server_error

    translation.activate("en")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(rf.get(path))
    finally:
        translation.deactivate()
    html = soup(response)
    assert response.status_code == 503
    assert html.html["lang"] == path.split("/")[1]
    assert "briefly unavailable" not in html.get_text()
