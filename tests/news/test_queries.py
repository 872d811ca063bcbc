"""The read layer the site, the feeds and the API share: finding authors and tags by
their slug, bylines in the reader's language, a story's body for readers outside the
site, and where to share a story."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from dateline.news import queries
from dateline.news.models import ArticlePage, Author

pytestmark = pytest.mark.django_db


def site_address(path: str) -> str:
    return settings.DATELINE_BASE_URL.rstrip("/") + path


# ---------------------------------------------------------------- authors and tags


def test_an_author_is_found_in_the_readers_language(article, locale):
    author = article.bylines.first().author
    russian = queries.author_by_slug(author.slug, locale("ru"))
    assert russian.locale.language_code == "ru"
    assert russian.translation_key == author.translation_key


def test_an_author_with_no_translation_is_found_from_any_language(locale):
    english_only = Author.objects.create(locale=locale("en"), name="Ada Quill", slug="ada-quill")
    assert queries.author_by_slug("ada-quill", locale("hy")) == english_only


def test_an_author_found_by_another_languages_slug_is_shown_in_the_readers_language(locale):
    english = Author.objects.create(locale=locale("en"), name="Anna Reed", slug="anna-reed")
    russian = english.copy_for_translation(locale("ru"))
    russian.name, russian.slug = "Анна Рид", "anna-rid"
    russian.save()
    assert queries.author_by_slug("anna-reed", locale("ru")) == russian
    assert queries.author_by_slug("anna-rid", locale("en")) == english


def test_two_people_sharing_a_slug_are_told_apart_by_language(locale):
    Author.objects.create(locale=locale("en"), name="Sam Hill", slug="sam")
    azerbaijani = Author.objects.create(locale=locale("az"), name="Səməd Əliyev", slug="sam")
    assert queries.author_by_slug("sam", locale("az")) == azerbaijani


def test_an_unknown_author_slug_gives_none(locale):
    assert queries.author_by_slug("nobody-at-all", locale("en")) is None


def test_a_tag_is_found_by_its_slug(article):
    tag = article.tags.first()
    assert queries.tag_by_slug(tag.slug) == tag


def test_an_unknown_tag_slug_gives_none(db):
    assert queries.tag_by_slug("no-such-tag") is None


# ---------------------------------------------------------------- bylines


def russian_names(article: ArticlePage) -> list[str]:
    return [
        Author.objects.get(
            translation_key=item.author.translation_key, locale__language_code="ru"
        ).name
        for item in article.bylines.select_related("author")
    ]


def test_the_byline_of_an_english_story_reads_in_russian_for_a_russian_reader(article):
    names = [author.name for author in queries.byline(article, "ru")]
    assert names == russian_names(article)
    assert names != [author.name for author in queries.byline(article, "en")]


def test_the_byline_follows_the_active_language(article):
    from django.utils import translation

    with translation.override("ru"):
        assert [author.name for author in queries.byline(article)] == russian_names(article)


def test_an_author_without_a_translation_keeps_their_own_name(article, locale):
    english_only = Author.objects.create(locale=locale("en"), name="Ada Quill", slug="ada-quill")
    article.bylines.create(author=english_only, sort_order=99)
    assert queries.byline(article, "ru")[-1].name == "Ada Quill"


def test_bylines_of_many_stories_are_each_in_the_storys_own_language(article, locale):
    russian_story = article.get_translation(locale("ru"))
    stories = list(
        ArticlePage.objects.filter(pk__in=[article.pk, russian_story.pk])
        .select_related("locale")
        .prefetch_related("bylines__author")
    )
    shown = queries.bylines(stories)
    assert [author.name for author in shown[russian_story.pk]] == russian_names(article)
    assert shown[article.pk] == queries.byline(article, "en")


# ---------------------------------------------------------------- the body outside the site


def story_with_body(article: ArticlePage, *blocks) -> ArticlePage:
    article.body = list(blocks)
    return article


def test_the_body_keeps_the_text_and_drops_anything_that_could_run(article):
    story = story_with_body(
        article,
        (
            "paragraph",
            RichText(
                '<p onclick="steal()">Harbour <b>pilots</b> met.</p>'
                "<script>alert(1)</script>"
                '<p><a href="javascript:alert(1)">bad</a> <a href="/en/world/">World</a></p>'
            ),
        ),
        ("heading", "Rates <b>fall</b>"),
        ("quote", {"quote": "We <agreed>", "attribution": "The mayor"}),
    )
    html = queries.body_html(story)
    assert "onclick" not in html and "<script" not in html and "javascript:" not in html
    assert "<p>Harbour <b>pilots</b> met.</p>" in html
    assert f'<a href="{site_address("/en/world/")}" rel="noopener">World</a>' in html
    assert "<h2>Rates &lt;b&gt;fall&lt;/b&gt;</h2>" in html
    assert "<blockquote><p>We &lt;agreed&gt;</p><footer>The mayor</footer></blockquote>" in html


def test_a_picture_in_the_body_is_one_size_at_an_absolute_address(article):
    image = get_image_model().objects.first()
    story = story_with_body(article, ("figure", {"image": image, "caption": "The quay"}))
    figure = BeautifulSoup(queries.body_html(story), "html.parser").figure
    picture = figure.img
    assert picture["src"].startswith(site_address("/media/"))
    assert picture["width"] == "1200"
    assert picture["alt"] == "The quay"
    assert not picture.has_attr("srcset") and not picture.has_attr("class")
    assert figure.figcaption.get_text() == "The quay"


# ---------------------------------------------------------------- sharing


def test_share_links_point_every_network_at_the_story(article):
    links = queries.share_links(article)
    address = quote(site_address(article.url), safe="")
    title = quote(article.title, safe="")
    assert [link.network for link in links] == [
        "x", "facebook", "telegram", "whatsapp", "vk", "linkedin", "email",
    ]  # fmt: skip
    by_network = {link.network: link for link in links}
    assert by_network["telegram"].url == f"https://t.me/share/url?url={address}&text={title}"
    assert by_network["email"].url == f"mailto:?subject={title}&body={address}"
    assert all(address in link.url for link in links)
    assert not by_network["email"].opens_elsewhere and by_network["x"].opens_elsewhere


def test_the_article_page_shows_the_same_share_links(client, article, locale):
    story = article.get_translation(locale("ru"))
    page = BeautifulSoup(client.get(story.url).content, "html.parser")
    shown = [link["href"] for link in page.select(".share-links a")]
    assert shown == [link.url for link in queries.share_links(story)]
    labels = [link["aria-label"] for link in page.select(".share-links a")]
    assert all(label and not label.startswith("Share on") for label in labels)
