"""The newsroom (the admin) carries the publication's name and logo, set in Site settings,
in every admin language, instead of the admin framework's."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.users.models import UserProfile

from dateline.core.models import NewsImage, SiteSettings

pytestmark = pytest.mark.django_db


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def renamed():
    """The publication's name in English and Russian."""
    site_settings = SiteSettings.load()
    for language, name in (("en", "Harbour Post"), ("ru", "Портовый вестник")):
        text = site_settings.texts.get(language=language)
        text.site_name = name
        text.save()
    return site_settings


def a_logo() -> NewsImage:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "#0b4fa8").save(buffer, "PNG")
    return NewsImage.objects.create(title="Harbour Post logo", file=ImageFile(buffer, "logo.png"))


def test_the_sign_in_page_names_the_publication_not_the_framework(client, renamed):
    html = page(client.get("/admin/login/"))
    assert html.h1.get_text(strip=True) == "Sign in to Harbour Post"
    assert html.title.get_text().strip().endswith("Harbour Post")
    assert "Wagtail" not in str(html.title) + str(html.h1)
    assert html.select_one(".login-logo svg")["aria-label"] == "Harbour Post"
    assert html.select_one(".login-logo text").get_text() == "H"


def test_the_sign_in_page_speaks_the_editors_language(client, renamed):
    html = page(client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ru"))
    assert html.h1.get_text(strip=True) == "Войти в Портовый вестник"


def test_the_newsroom_shows_the_logo_set_in_site_settings(admin_client, renamed):
    renamed.logo = a_logo()
    renamed.save()
    html = page(admin_client.get("/admin/"))
    logo = html.select_one("template[data-wagtail-sidebar-branding-logo]").decode_contents()
    assert "Harbour Post" in logo
    assert f'src="{renamed.logo.get_rendition("fill-128x128").url}"' in logo
    assert "Harbour Post" in html.title.get_text()
    assert html.select_one("link[rel=icon]")["href"].endswith(".svg")


def test_the_newsroom_names_the_publication_in_the_editors_language(
    admin_client, admin_user, renamed
):
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ru"
    profile.save()
    html = page(admin_client.get("/admin/"))
    assert "Портовый вестник" in html.title.get_text()
    assert "Портовый вестник" in html.select_one("main").get_text()


def test_a_logo_deleted_from_the_library_leaves_the_initial(admin_client, renamed):
    renamed.logo = a_logo()
    renamed.save()
    renamed.logo.delete()
    html = page(admin_client.get("/admin/"))
    logo = html.select_one("template[data-wagtail-sidebar-branding-logo]").decode_contents()
    assert "<svg" in logo and ">H<" in logo


def test_the_dashboard_and_help_menu_do_not_advertise_the_framework(admin_client):
    response = admin_client.get("/admin/")
    html = page(response)
    summary = html.select_one("h2.w-label-1").find_parent("div")
    assert [link.get_text(" ", strip=True) for link in summary.select("a")][-1] == "Editor Guide"
    assert "Wagtail" not in summary.get_text()
    assert "What's new in Wagtail" not in response.content.decode()
    assert "Keyboard shortcuts" in response.content.decode()
