"""Each kind of content change reaches every surface that shows it, through the page
cache: the story's page, its section's listing, the language's feed, the news sitemap,
search and the API. The surfaces are warmed into the cache first, so what is checked is
what a reader gets straight after the change."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from taggit.models import Tag
from wagtail.models import Locale

from dateline.core.models import SiteSettings
from dateline.news import services
from dateline.news.models import ArticlePage, Author
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

WORD = "Zebrafish"


def surfaces(story: ArticlePage, language: str = "en") -> dict[str, str]:
    section = story.get_parent()
    return {
        "page": story.url,
        "listing": section.url,
        "feed": f"/{language}/rss.xml",
        "sitemap": f"/{language}/news-sitemap.xml",
        "search": f"/{language}/search/?q={WORD}",
        "api": f"/api/v1/articles?lang={language}",
    }


def warm(site, paths: dict[str, str]) -> None:
    for path in paths.values():
        site.get(path)
        site.get(path)


def readable(site, path: str) -> str:
    answer = site.get(path)
    if answer.headers.get("content-type", "").startswith("application/json"):
        return json.dumps(json.loads(answer.body), ensure_ascii=False)
    # Search marks the words it matched: what a reader reads is the text without marks.
    return re.sub(r"</?mark[^>]*>", "", answer.text)


def shown(site, paths: dict[str, str], text: str) -> dict[str, bool]:
    return {name: text in readable(site, path) for name, path in paths.items()}


def everywhere(names) -> dict[str, bool]:
    return dict.fromkeys(names, True)


@pytest.fixture
def story(world):
    return factories.story(
        world,
        "zebrafish",
        title=f"{WORD} return to the bay",
        standfirst="Divers counted them.",
        authors=[Author.objects.filter(locale=world.locale).first()],
        tags=["bay-life"],
    )


def test_a_publish_reaches_every_surface(site, world):
    paths = surfaces(world.articles().first()) | {"page": world.url + "zebrafish/"}
    warm(site, paths)
    with site.changes():
        services.create_article(
            world, title=f"{WORD} return to the bay", slug="zebrafish", standfirst="x"
        )
    assert shown(site, paths, f"{WORD} return") == everywhere(paths)


def test_an_edit_reaches_every_surface(site, story):
    paths = surfaces(story)
    warm(site, paths)
    with site.changes():
        story.title = f"{WORD} numbers double in the bay"
        services.publish(story)
    assert shown(site, paths, "numbers double") == everywhere(paths)


@pytest.mark.parametrize("takedown", ["unpublish", "delete"])
def test_a_takedown_leaves_no_surface_showing_the_story(site, story, takedown):
    paths = surfaces(story)
    warm(site, paths)
    assert shown(site, paths, f"{WORD} return") == everywhere(paths)
    with site.changes():
        getattr(story, takedown)()
    assert site.get(paths["page"]).status == 404
    assert not any(shown(site, paths, f"{WORD} return").values())


def test_a_move_reaches_every_surface(site, world, story):
    sport = world.get_siblings().get(slug="sport")
    old = surfaces(story)
    warm(site, old | {"sport": sport.url})
    with site.changes():
        story.move(sport, pos="last-child")
    story.refresh_from_db()
    new_address = story.url
    assert new_address.startswith(sport.url)
    paths = surfaces(story)
    found = {name: new_address in site.get(path).text for name, path in paths.items()}
    # The page itself is found at its new address; the others link to it.
    found["page"] = site.get(paths["page"]).status == 200
    assert found == everywhere(paths)
    assert new_address not in site.get(world.url).text
    assert site.get(old["page"]).status == 301


def test_a_translation_reaches_every_surface_in_its_language(site, story):
    russian = Locale.objects.get(language_code="ru")
    paths = surfaces(story, "ru") | {"search": "/ru/search/?q=" + quote("Зебрафиш")}
    paths["page"] = "/ru/"  # the translation has no address before it exists
    paths["listing"] = story.get_parent().get_translation(russian).url
    warm(site, paths)
    with site.changes():
        translation = services.translate_page(story, russian)
        translation.title = "Зебрафиш вернулись в залив"
        services.publish(translation)
    paths["page"] = translation.url
    assert shown(site, paths, "Зебрафиш вернулись") == everywhere(paths)


def test_new_site_settings_reach_every_page_and_the_feed(site, story):
    paths = surfaces(story)
    warm(site, paths)
    with site.changes():
        text = SiteSettings.load().texts.get(language="en")
        text.site_name = "The Bay Courier"
        text.save()
    framed = {name: paths[name] for name in ("page", "listing", "feed", "search")}
    assert shown(site, framed, "The Bay Courier") == everywhere(framed)


def test_a_renamed_author_reaches_every_surface_that_names_them(site, story):
    paths = surfaces(story)
    warm(site, paths)
    with site.changes():
        author = story.authors()[0]
        author.name = "Nareh Zebrafishyan"
        author.save()
    named = {name: paths[name] for name in ("page", "feed", "api")}
    assert shown(site, named, "Nareh Zebrafishyan") == everywhere(named)


def test_a_renamed_tag_reaches_every_surface_that_names_it(site, story):
    paths = surfaces(story)
    warm(site, paths)
    with site.changes():
        tag = Tag.objects.get(slug="bay-life")
        tag.name = "Life in the bay"
        tag.save()
    named = {name: paths[name] for name in ("page", "feed", "api")}
    assert shown(site, named, "Life in the bay") == everywhere(named)
