"""Every change to published content reaches every page that shows it: the story, its
section, the home page, tag and author pages, feeds and sitemaps, in every language."""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from dateline.core.models import SiteSettings
from dateline.news import services
from dateline.news.models import ArticlePage, Author
from tests.factories import story

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

LISTINGS = ["/en/", "/en/world/", "/en/rss.xml", "/en/world/rss.xml", "/en/news-sitemap.xml"]


def warm(site, paths):
    for path in paths:
        site.get(path)
        assert site.get(path).outcome == "hit", path


def new_story(world, slug: str, title: str, tag: str) -> ArticlePage:
    author = Author.objects.filter(locale=world.locale).first()
    return story(world, slug, title=title, authors=[author], tags=[tag], publish=False)


def test_publishing_a_story_shows_it_on_every_page_that_lists_it(site, world):
    author = Author.objects.filter(locale=world.locale).first()
    tag_pages = ["/en/tags/harbour-cranes/", "/en/tags/harbour-cranes/rss.xml"]
    author_pages = [f"/en/authors/{author.slug}/", f"/en/authors/{author.slug}/rss.xml"]
    warm(site, LISTINGS + author_pages + [world.url + "cranes-return/"])
    assert site.get("/en/tags/harbour-cranes/").status == 404
    with site.changes():
        story = new_story(world, "cranes-return", "Cranes return to the harbour", "harbour-cranes")
        services.publish(story)
    assert site.get(story.url).status == 200
    for path in LISTINGS + tag_pages + author_pages:
        answer = site.get(path)
        assert answer.status == 200, path
        assert "Cranes return to the harbour" in answer.text or "cranes-return" in answer.text, path


def test_editing_a_live_story_changes_its_headline_everywhere(site, world, article):
    warm(site, LISTINGS + [article.url])
    with site.changes():
        article.title = "A corrected headline for the story"
        services.publish(article)
    for path in LISTINGS + [article.url]:
        assert "A corrected headline for the story" in site.get(path).text, path


def test_a_new_address_reaches_the_language_switcher_of_every_translation(site, article):
    russian = article.get_translation(Locale.objects.get(language_code="ru"))
    warm(site, [russian.url])
    with site.changes():
        article.slug = "a-new-address"
        services.publish(article)
    assert "/en/world/a-new-address/" in site.get(russian.url).text


def test_unpublishing_a_story_takes_it_off_every_page(site, world, article):
    old_url = article.url
    warm(site, LISTINGS + [old_url])
    with site.changes():
        article.unpublish()
    assert site.get(old_url).status == 404
    for path in LISTINGS:
        assert old_url not in site.get(path).text, path


def test_deleting_a_story_takes_it_off_every_page(site, world, article):
    old_url = article.url
    warm(site, LISTINGS + [old_url])
    with site.changes():
        article.delete()
    assert site.get(old_url).status == 404
    for path in LISTINGS:
        assert old_url not in site.get(path).text, path


def test_moving_a_story_moves_it_between_sections(site, world, article):
    sport = world.get_siblings().get(slug="sport")
    old_url = article.url
    warm(site, ["/en/world/", "/en/sport/", old_url])
    with site.changes():
        article.move(sport, pos="last-child")
    article.refresh_from_db()
    moved = site.get(old_url)
    assert (moved.status, moved.headers["location"]) == (301, article.url)
    assert site.get(article.url).status == 200
    assert article.url in site.get("/en/sport/").text
    assert old_url not in site.get("/en/world/").text


def test_changing_the_site_settings_reaches_every_page(site, article):
    warm(site, ["/en/", article.url, "/en/rss.xml"])
    with site.changes():
        text = SiteSettings.load().texts.get(language="en")
        text.site_name = "The Harbour Courier"
        text.save()
    for path in ["/en/", article.url]:
        assert "The Harbour Courier" in site.get(path).text, path


def test_an_unrelated_draft_changes_nothing(site, world, article):
    warm(site, ["/en/"])
    with site.changes():
        article.title = "An unpublished draft headline"
        article.save_revision()
    answer = site.get("/en/")
    assert answer.outcome == "hit"
    assert "An unpublished draft headline" not in answer.text
