"""Languages, site settings, sections, authors and tags, as an app reads them."""

import pytest

from dateline.core.models import SiteSettings
from dateline.news.models import Author

pytestmark = pytest.mark.django_db


def test_languages_list_every_site_language_with_its_home(api):
    response = api("languages")
    assert response.status_code == 200
    items = response.data["items"]
    assert [item["code"] for item in items] == ["en", "ru", "hy", "az"]
    assert items[0]["default"] and not any(item["default"] for item in items[1:])
    assert items[1]["home_url"].endswith("/ru/") and items[1]["name"] == "Русский"


def test_site_settings_come_in_the_asked_language(api):
    settings = SiteSettings.load()
    settings.telegram_url = "https://t.me/dateline_test"
    settings.app_store_url = "https://apps.apple.com/app/id1"
    settings.google_play_url = ""
    settings.save()
    english, russian = api("site", lang="en").data, api("site", lang="ru").data
    texts = settings.texts_for("ru")
    assert russian["name"] == texts.site_name and russian["reuse_notice"] == texts.reuse_notice
    assert english["reuse_notice"] != russian["reuse_notice"]
    assert {"network": "telegram", "label": "Telegram", "url": settings.telegram_url} in (
        english["social_links"]
    )
    assert english["apps"] == {"app_store": settings.app_store_url, "google_play": None}
    assert english["time_zone"] == settings.time_zone


def test_sections_are_those_of_the_language_in_site_order(api, home):
    english = api("sections", lang="en").data["items"]
    assert [s["slug"] for s in english] == [s.slug for s in home.sections()]
    assert english[0]["description"] and english[0]["url"].endswith("/en/world/")
    armenian = api("sections", lang="hy").data["items"]
    assert {s["lang"] for s in armenian} == {"hy"}
    assert {s["id"] for s in armenian}.isdisjoint({s["id"] for s in english})


def test_authors_are_listed_by_name_in_the_language_and_page_with_a_cursor(api, locale):
    expected = list(Author.objects.filter(locale=locale("ru")).order_by("name", "pk"))
    first = api("authors", lang="ru", limit=2)
    assert [a["name"] for a in first.data["items"]] == [a.name for a in expected[:2]]
    assert first.data["next"].startswith("/api/v1/authors?")
    rest = api(first.data["next"].removeprefix("/api/v1/")).data
    assert [a["id"] for a in rest["items"]] == [a.pk for a in expected[2:4]]
    assert (
        rest["items"][0]["url"].startswith("http://") and "/ru/authors/" in rest["items"][0]["url"]
    )


def test_tags_are_those_of_published_articles_in_the_language(api, article):
    article_tags = {tag.slug for tag in article.tags.all()}
    seen, path = set(), "tags?lang=en&limit=100"
    while path:
        data = api(path).data
        seen |= {tag["slug"] for tag in data["items"]}
        path = data["next"] and data["next"].removeprefix("/api/v1/")
    assert article_tags <= seen
    article.unpublish()
    only_here = {
        slug
        for slug in article_tags
        if not type(article).objects.live().filter(tags__slug=slug, locale=article.locale).exists()
    }
    after = {tag["slug"] for tag in api("tags", lang="en", limit=100).data["items"]}
    assert only_here.isdisjoint(after)


@pytest.mark.parametrize("endpoint", ["site", "sections", "authors", "tags", "articles"])
@pytest.mark.parametrize("lang", ["de", "EN", "x" * 20, "en\x00", ""])
def test_an_unknown_language_is_a_400_naming_lang(api, endpoint, lang):
    response = api(endpoint, lang=lang)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.data["errors"][0]["parameter"] == "lang"
