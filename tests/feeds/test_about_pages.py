"""Publisher transparency: About and Contacts in every language, linked from every page;
author pages with a biography and the author's stories."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from dateline.news.models import Author, StandardPage

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "hy", "az"]
TITLES = {
    "en": ("About us", "Contacts"),
    "ru": ("О нас", "Контакты"),
    "hy": ("Մեր մասին", "Կոնտակտներ"),
    "az": ("Haqqımızda", "Əlaqə"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_about_and_contacts_exist_in_every_language_and_are_in_the_footer(client, lang):
    pages = StandardPage.objects.live().filter(locale__language_code=lang).order_by("path")
    assert [page.slug for page in pages] == ["about", "contacts"]
    assert tuple(page.title for page in pages) == TITLES[lang]
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200
        html = BeautifulSoup(response.content, "html.parser")
        assert html.h1.get_text() == page.title
        assert len(html.select(".story-body p")) >= 3
    home = BeautifulSoup(client.get(f"/{lang}/").content, "html.parser")
    footer_links = {a.get_text(): a["href"] for a in home.select("footer.site-footer a")}
    for page in pages:
        assert footer_links[page.title] == page.url
    assert f"/{lang}/rss.xml" in footer_links.values()


def test_about_pages_are_translations_of_each_other(client):
    english = StandardPage.objects.get(slug="about", locale__language_code="en")
    codes = {page.locale.language_code for page in english.get_translations(inclusive=True)}
    assert codes == set(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_author_pages_show_the_biography_and_the_authors_stories(client, article, lang):
    author = article.bylines.first().author
    shown = (
        Author.objects.filter(
            translation_key=author.translation_key, locale__language_code=lang
        ).first()
        or author
    )
    shown.bio = f"Covers diplomacy; biography in {lang}."
    shown.save()
    response = client.get(f"/{lang}/authors/{author.slug}/")
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    assert shown.bio in html.get_text()
    assert html.select(".card-grid .card-title a")
