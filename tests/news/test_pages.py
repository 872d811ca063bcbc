"""The reader's pages: article, home, section, tag and author listings."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import quote, unquote

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from wagtail.models import Locale

from dateline.analytics.services import add_views
from dateline.core.models import SiteSettings
from dateline.news import services
from dateline.news.models import ArticlePage, Author, HomePage, SectionPage
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.engine]

LANGUAGES = ["en", "ru", "hy", "az"]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def canonical(path: str) -> str:
    return django_settings.DATELINE_BASE_URL.rstrip("/") + path


def card_links(page: BeautifulSoup, scope: str = "main") -> list[str]:
    return [a["href"] for a in page.select(f"{scope} .card-title a")]


@pytest.fixture
def story(article):
    """The newest World story in the language the test asks for."""

    def in_language(code: str) -> ArticlePage:
        return article.get_translation(Locale.objects.get(language_code=code))

    return in_language


@pytest.fixture(params=LANGUAGES)
def lang(request) -> str:
    return request.param


@pytest.fixture
def shown(client, story, lang):
    """(the story in `lang`, its page as the reader gets it)."""
    page = story(lang)
    response = client.get(page.url)
    assert response.status_code == 200
    return page, soup(response)


def publish_article(section: SectionPage, slug: str, title: str, **fields) -> ArticlePage:
    author = Author.objects.get(slug="oliver-grant", locale__language_code="en")
    fields.setdefault("body", [("paragraph", "<p>Some text.</p>")])
    return factories.story(section, slug, title=title, authors=[author], **fields)


# --- Article page ---------------------------------------------------------------------------


def test_article_page_is_marked_with_its_language(shown, lang):
    _page, html = shown
    assert html.html["lang"] == lang


def test_article_shows_its_section_label_linking_to_the_section(shown, lang):
    page, html = shown
    kicker = html.select_one(".story-header .kicker a")
    assert kicker["href"] == f"/{lang}/world/"
    assert kicker.get_text(strip=True) == page.get_parent().title


def test_article_headline_is_the_only_h1(shown):
    page, html = shown
    headings = html.find_all("h1")
    assert len(headings) == 1
    assert headings[0].get_text(strip=True) == page.title


def test_article_shows_the_standfirst_under_the_headline(shown):
    page, html = shown
    assert html.select_one(".story-header .standfirst").get_text(strip=True) == page.standfirst


def test_publish_time_is_an_iso_datetime_in_the_site_time_zone(shown):
    page, html = shown
    stamp = html.select_one(".story-meta time")["datetime"]
    shown_at = datetime.fromisoformat(stamp)
    assert stamp.endswith("+04:00")  # the demo newsroom is in Asia/Yerevan
    assert shown_at.utcoffset() == timedelta(hours=4)
    assert shown_at == page.first_published_at.replace(microsecond=0)


def test_every_time_stamp_is_to_the_second_as_html_allows(client, story, lang):
    # HTML takes at most three digits of a second; Django's "c" format gives six.
    machine_time = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
    page = story(lang)
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=page.first_published_at.replace(microsecond=123456)
    )
    for path in (page.url, f"/{lang}/", f"/{lang}/world/"):
        stamps = [t["datetime"] for t in soup(client.get(path)).select("time[datetime]")]
        assert stamps, path
        assert all(machine_time.fullmatch(stamp) for stamp in stamps), (path, stamps)


def test_publish_time_follows_the_time_zone_chosen_in_site_settings(client, article):
    site_settings = SiteSettings.load()
    site_settings.time_zone = "UTC"
    site_settings.save()
    html = soup(client.get(article.url))
    stamp = html.select_one(".story-meta time")["datetime"]
    assert datetime.fromisoformat(stamp).utcoffset() == timedelta(0)


def test_republishing_a_story_keeps_the_publish_time_readers_see(client, article):
    before = soup(client.get(article.url)).select_one(".story-meta time")["datetime"]
    article.standfirst = "A corrected standfirst."
    services.publish(article)
    html = soup(client.get(article.url))
    assert html.select_one(".story-meta time")["datetime"] == before
    assert html.select_one(".standfirst").get_text(strip=True) == "A corrected standfirst."


def test_lead_picture_is_served_as_responsive_renditions(shown):
    _page, html = shown
    img = html.select_one("figure.lead-figure img")
    widths = re.findall(r"\s(\d+)w", img["srcset"])
    assert len(set(widths)) >= 3
    assert img["sizes"]
    assert img["src"].startswith("/media/images/")
    assert all(
        url.startswith("/media/images/") for url in re.findall(r"(\S+)\s\d+w", img["srcset"])
    )


def test_lead_picture_has_its_caption_and_credit(shown):
    page, html = shown
    caption = html.select_one("figure.lead-figure figcaption")
    assert page.lead_image_caption in caption.get_text()
    assert page.lead_image.credit in caption.select_one(".credit").get_text()
    assert html.select_one("figure.lead-figure img")["alt"] == page.lead_image_caption


def test_article_body_paragraphs_are_shown(shown):
    page, html = shown
    body_text = html.select_one("[data-story-body]").get_text(" ", strip=True)
    paragraphs = [
        BeautifulSoup(block.value.source, "html.parser").get_text(strip=True)
        for block in page.body
        if block.block_type == "paragraph"
    ]
    assert len(paragraphs) >= 2
    assert len(html.select("[data-story-body] p")) >= len(paragraphs)
    for paragraph in paragraphs:
        assert paragraph in body_text


def test_byline_links_to_the_author_page_in_the_same_language(shown, lang):
    _page, html = shown
    link = html.select_one(".byline a[rel=author]")
    assert link["href"] == f"/{lang}/authors/narine-galstyan/"
    name = Author.objects.get(slug="narine-galstyan", locale__language_code=lang).name
    assert link.get_text(strip=True) == name


def test_russian_byline_shows_the_authors_name_in_cyrillic(client, story):
    html = soup(client.get(story("ru").url))
    assert html.select_one(".byline a[rel=author]").get_text(strip=True) == "Нарине Галстян"


def test_article_shows_its_source_attribution(shown):
    page, html = shown
    assert page.source
    assert html.select_one(".story-footer .source").get_text(strip=True) == page.source


def test_a_story_without_a_source_shows_no_empty_attribution(client, world):
    article = publish_article(world, "no-source", "No source given", source="")
    html = soup(client.get(article.url))
    assert html.select(".story-footer .source") == []


def test_tags_link_to_the_tag_pages_of_the_same_language(client, shown, lang):
    page, html = shown
    links = html.select(".story-footer .tags a")
    assert sorted(unquote(a["href"]) for a in links) == sorted(
        f"/{lang}/tags/{tag.slug}/" for tag in page.tags.all()
    )
    for link in links:
        listing = client.get(link["href"])
        assert listing.status_code == 200
        assert page.url in card_links(soup(listing))


def test_view_count_is_shown(client, article):
    html = soup(client.get(article.url))
    assert html.select_one("[data-view-count]").get_text(strip=True).isdigit()

    add_views(article, 41)
    html = soup(client.get(article.url))
    assert html.select_one("[data-view-count]").get_text(strip=True) == "41"


SHARE_TARGETS = {
    "x": "https://x.com/",
    "facebook": "https://www.facebook.com/",
    "telegram": "https://t.me/",
    "whatsapp": "https://wa.me/",
    "vk": "https://vk.com/",
    "linkedin": "https://www.linkedin.com/",
    "email": "mailto:",
}


def test_canonical_address_is_the_public_url_of_the_story(shown):
    page, html = shown
    assert html.select_one("link[rel=canonical]")["href"] == canonical(page.url)


@pytest.mark.parametrize("network", list(SHARE_TARGETS))
def test_share_link_carries_the_url_encoded_canonical_address(client, article, network):
    html = soup(client.get(article.url))
    link = html.select_one(f".share-links a.share-{network}")
    assert link is not None, f"no share link for {network}"
    assert link["href"].startswith(SHARE_TARGETS[network])
    assert quote(canonical(article.url), safe="") in link["href"]
    assert link.get("aria-label")


def test_share_links_carry_the_translations_own_address(shown):
    page, html = shown
    encoded = quote(canonical(page.url), safe="")
    for network in SHARE_TARGETS:
        assert encoded in html.select_one(f".share-links a.share-{network}")["href"]


def test_article_has_a_print_button(shown):
    _page, html = shown
    button = html.select_one("button[data-print]")
    assert button is not None
    assert button.get("aria-label")


def test_copy_link_button_carries_the_canonical_address_and_a_confirmation(shown):
    page, html = shown
    button = html.select_one("button[data-copy-link]")
    assert button["data-copy-link"] == canonical(page.url)
    assert button["data-copied-message"].strip()
    assert button.get("aria-label")


def test_text_size_buttons_are_labelled_for_screen_readers(shown):
    _page, html = shown
    buttons = {b.get_text(strip=True): b for b in html.select("button[data-text-size]")}
    assert set(buttons) == {"A+", "A-"}
    assert buttons["A+"]["data-text-size"] == "1"
    assert buttons["A-"]["data-text-size"] == "-1"
    assert all(b.get("aria-label", "").strip() for b in buttons.values())
    assert buttons["A+"]["aria-label"] != buttons["A-"]["aria-label"]


def test_text_size_buttons_spoken_names_start_with_what_they_show(shown, lang):
    # Someone who says "click A+" to voice control must find the button by that name.
    _page, html = shown
    for button in html.select("button[data-text-size]"):
        shown_label = button.get_text(strip=True)
        spoken = button["aria-label"]
        assert spoken.startswith(f"{shown_label} "), spoken
        assert spoken.removeprefix(shown_label).strip() == button["title"]
    if lang != "en":
        assert html.select_one("button[data-text-size='1']")["title"] != "Larger text"


def test_more_from_the_section_links_other_stories_of_the_section_not_this_one(shown, lang):
    page, html = shown
    block = html.select_one("aside.more-from")
    assert block.select_one(".block-title a")["href"] == f"/{lang}/world/"
    assert block.select_one(".block-title").get_text(strip=True) == page.get_parent().title
    links = card_links(html, "aside.more-from")
    assert links
    assert page.url not in links
    section_urls = {a.url for a in page.get_parent().specific.articles()}
    assert set(links) <= section_urls


# --- Language switcher ----------------------------------------------------------------------


def switcher(html: BeautifulSoup) -> dict[str, str]:
    return {a["hreflang"]: a["href"] for a in html.select("nav.languages a")}


def test_switcher_links_to_the_same_article_in_every_language(shown, story, lang):
    _page, html = shown
    links = switcher(html)
    assert links == {code: story(code).url for code in LANGUAGES}
    current = html.select_one("nav.languages a[aria-current]")
    assert current["hreflang"] == lang


def test_switcher_links_to_the_same_article_in_russian(client, story):
    html = soup(client.get(story("en").url))
    assert switcher(html)["ru"] == story("ru").url
    assert switcher(html)["ru"].startswith("/ru/world/")


def test_switcher_leads_to_the_home_page_where_a_story_has_no_translation(client, world):
    article = publish_article(world, "english-only", "Only in English")
    html = soup(client.get(article.url))
    assert switcher(html) == {
        "en": article.url,
        "ru": "/ru/",
        "hy": "/hy/",
        "az": "/az/",
    }


def test_switcher_skips_a_translation_that_is_still_a_draft(client, world, locale):
    article = publish_article(world, "draft-in-russian", "Draft in Russian")
    services.translate_page(article, locale("ru"), title="Черновик")
    html = soup(client.get(article.url))
    assert switcher(html)["ru"] == "/ru/"


def test_switcher_on_an_author_page_links_to_the_authors_translations(client, lang):
    html = soup(client.get(f"/{lang}/authors/irina-sokolova/"))
    assert switcher(html) == {code: f"/{code}/authors/irina-sokolova/" for code in LANGUAGES}


def test_switcher_on_an_untranslated_author_leads_to_the_other_home_pages(client, locale):
    Author.objects.create(locale=locale("en"), slug="guest-writer", name="Guest Writer")
    html = soup(client.get("/en/authors/guest-writer/"))
    assert switcher(html) == {
        "en": "/en/authors/guest-writer/",
        "ru": "/ru/",
        "hy": "/hy/",
        "az": "/az/",
    }


# --- Home page ------------------------------------------------------------------------------


def home_in(code: str) -> HomePage:
    return HomePage.objects.get(locale__language_code=code)


def test_home_leads_with_the_newest_story_of_its_language(client, lang):
    newest = ArticlePage.objects.live().filter(locale__language_code=lang)
    newest = newest.order_by("-first_published_at", "-pk").first()
    html = soup(client.get(f"/{lang}/"))
    lead = html.select_one(".lead-story")
    assert lead.select_one(".lead-title a")["href"] == newest.url
    assert lead.select_one(".lead-title").get_text(strip=True) == newest.title
    assert lead.select_one(".kicker a")["href"] == newest.get_parent().url
    assert lead.select_one("img")["srcset"]


def test_the_lead_picture_is_fetched_first_in_a_size_near_a_phones_screen(client):
    picture = soup(client.get("/en/")).select_one(".lead-story img")
    assert picture["fetchpriority"] == "high"
    assert "loading" not in picture.attrs
    widths = [int(width) for width in re.findall(r"\s(\d+)w", picture["srcset"])]
    assert widths == [640, 800, 1200]


def test_home_leads_with_the_story_an_editor_chose(client, world):
    older = world.articles().last()
    home = home_in("en")
    home.lead_article = older
    services.publish(home)
    html = soup(client.get("/en/"))
    assert html.select_one(".lead-story .lead-title a")["href"] == older.url


def _home_led_by(story) -> str:
    home = home_in("en")
    home.lead_article = story
    services.publish(home)
    return home.url


def test_the_chosen_lead_shows_its_new_headline_at_once(client, world):
    chosen = world.articles().last()
    url = _home_led_by(chosen)
    client.get(url)
    chosen.title = "A corrected headline for the lead"
    services.publish(chosen)
    html = soup(client.get(url))
    assert html.select_one(".lead-story .lead-title").get_text(strip=True) == chosen.title


def test_an_unpublished_or_deleted_lead_gives_way_to_the_newest_story(client, world):
    chosen = world.articles().last()
    url = _home_led_by(chosen)
    client.get(url)
    chosen.unpublish()
    newest = ArticlePage.objects.live().filter(locale__language_code="en")
    newest = newest.order_by("-first_published_at", "-pk").first()
    assert soup(client.get(url)).select_one(".lead-story .lead-title a")["href"] == newest.url
    ArticlePage.objects.get(pk=chosen.pk).delete()
    assert soup(client.get(url)).select_one(".lead-story .lead-title a")["href"] == newest.url


def test_home_shows_latest_news_of_its_language_newest_first(client, lang):
    html = soup(client.get(f"/{lang}/"))
    links = [a["href"] for a in html.select(".latest-list a")]
    assert len(links) >= 10
    assert all(link.startswith(f"/{lang}/") for link in links)
    lead = html.select_one(".lead-story .lead-title a")["href"]
    assert lead not in links
    pages = {p.url: p for p in ArticlePage.objects.live().filter(locale__language_code=lang)}
    times = [pages[link].first_published_at for link in links]
    assert times == sorted(times, reverse=True)


def test_home_has_a_block_for_every_section(client, lang):
    html = soup(client.get(f"/{lang}/"))
    blocks = html.select("section.section-block")
    sections = list(home_in(lang).sections())
    assert [b.select_one(".block-title a")["href"] for b in blocks] == [s.url for s in sections]
    for block, section in zip(blocks, sections, strict=True):
        assert block.select_one(".block-title").get_text(strip=True) == section.title
        links = [a["href"] for a in block.select(".card-title a")]
        assert links
        assert all(link.startswith(section.url) for link in links)


def _shown_above(html: BeautifulSoup) -> set[str]:
    top = [a["href"] for a in html.select(".top-stories .card-title a")]
    return {html.select_one(".lead-story .lead-title a")["href"], *top}


def test_each_home_section_block_shows_that_sections_four_newest_stories(client, world):
    """…apart from the lead and the top stories, which are already shown above it."""
    older = world.articles().last()
    older.title = "An older story edited again"
    services.publish(older)  # a new revision does not make it newer
    html = soup(client.get("/en/"))
    shown_above = _shown_above(html)
    blocks = {}
    for block in html.select("section.section-block"):
        cards = [a["href"] for a in block.select(".card-title a")]
        blocks[block.select_one(".block-title a")["href"]] = cards
    for section in home_in("en").sections():
        newest = [article.url for article in section.articles() if article.url not in shown_above]
        assert blocks.get(section.url, []) == newest[:4]


def test_three_top_stories_with_pictures_from_other_sections_than_the_lead(client, lang):
    html = soup(client.get(f"/{lang}/"))
    cards = html.select(".top-stories .card")
    assert len(cards) == 3
    assert all(card.select_one(".card-image img") for card in cards)
    pages = {p.url: p for p in ArticlePage.objects.live().filter(locale__language_code=lang)}
    lead = pages[html.select_one(".lead-story .lead-title a")["href"]]
    top = [pages[card.select_one(".card-title a")["href"]] for card in cards]
    sections = [story.get_parent().pk for story in [lead, *top]]
    assert len(set(sections)) == 4  # the demo has stories in all six sections
    newest = [story for story in pages.values() if story.pk != lead.pk and story.lead_image_id]
    newest.sort(key=lambda story: story.first_published_at, reverse=True)
    assert top[0] in newest[:3]  # the newest, not any story of another section


def test_no_story_is_shown_twice_among_the_lead_top_stories_and_section_blocks(client, lang):
    html = soup(client.get(f"/{lang}/"))
    shown_above = _shown_above(html)
    in_blocks = [a["href"] for a in html.select("section.section-block .card-title a")]
    assert len(in_blocks) == len(set(in_blocks))
    assert not shown_above & set(in_blocks)
    assert all(len(block.select(".card")) == 4 for block in html.select("section.section-block"))


def test_a_top_story_taken_down_leaves_the_top_at_once(client, world):
    html = soup(client.get("/en/"))
    first_top = html.select_one(".top-stories .card-title a")["href"]
    story = ArticlePage.objects.get(
        locale__language_code="en", url_path__endswith=first_top.removeprefix("/en")
    )
    story.unpublish()
    html = soup(client.get("/en/"))
    assert first_top not in {a["href"] for a in html.select("main a")}


# --- Section page ---------------------------------------------------------------------------


def test_section_page_shows_its_name_and_description(client, lang):
    section = SectionPage.objects.get(slug="economy", locale__language_code=lang)
    html = soup(client.get(section.url))
    assert html.h1.get_text(strip=True) == section.title
    assert html.select_one(".section-description").get_text(strip=True) == section.description
    assert html.html["lang"] == lang


def test_section_page_lists_its_stories_newest_first(client, world):
    html = soup(client.get(world.url))
    links = card_links(html)
    expected = [a.url for a in world.articles()]
    assert links == expected[: len(links)]
    assert len(links) >= 10
    times = [datetime.fromisoformat(t["datetime"]) for t in html.select("main .card time")]
    assert times == sorted(times, reverse=True)


def test_section_page_two_continues_where_page_one_ends(client, world, settings):
    settings.DATELINE_PAGE_SIZE = 4
    first = soup(client.get(world.url))
    second_response = client.get(world.url, {"page": "2"})
    assert second_response.status_code == 200
    second = soup(second_response)
    expected = [a.url for a in world.articles()]
    assert card_links(first) == expected[:4]
    assert card_links(second) == expected[4:8]
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    assert second.select_one(".pagination a[rel=prev]")["href"] == "?page=1"


@pytest.mark.parametrize("number", ["abc", "0", "999", "-1", "1" * 20, "1.5"])
def test_a_bad_page_number_is_not_found_not_a_server_error(client, world, number):
    response = client.get(world.url, {"page": number})
    assert response.status_code == 404


@pytest.mark.parametrize("number", ["²", "①"])
def test_a_page_number_in_unusual_digits_is_not_found_not_a_server_error(client, world, number):
    client.raise_request_exception = False
    response = client.get(world.url, {"page": number})
    assert response.status_code == 404


def test_an_unpublished_story_disappears_from_its_section(client, world):
    newest = world.articles().first()
    newest.unpublish()
    assert newest.url not in card_links(soup(client.get(world.url)))
    assert client.get(newest.url).status_code == 404


# --- Tag and author pages -------------------------------------------------------------------


def test_tag_page_lists_only_stories_of_the_current_language(client, article, lang):
    tag = article.tags.first()
    html = soup(client.get(f"/{lang}/tags/{tag.slug}/"))
    assert html.h1.get_text(strip=True) == f"#{tag.name}"
    links = card_links(html)
    assert all(link.startswith(f"/{lang}/") for link in links)
    if lang == "en":
        assert article.url in links
    else:
        assert links == []


def test_a_translated_tag_lists_the_translated_stories(client, story):
    russian = story("ru")
    tag = russian.tags.first()
    html = soup(client.get(f"/ru/tags/{quote(tag.slug)}/"))
    assert russian.url in card_links(html)
    assert all(link.startswith("/ru/") for link in card_links(html))


def test_author_page_lists_only_their_stories_in_the_current_language(client, story, lang):
    html = soup(client.get(f"/{lang}/authors/narine-galstyan/"))
    author = Author.objects.get(slug="narine-galstyan", locale__language_code=lang)
    assert html.h1.get_text(strip=True) == author.name
    links = card_links(html)
    assert story(lang).url in links
    assert all(link.startswith(f"/{lang}/") for link in links)
    bylined = ArticlePage.objects.live().filter(
        locale__language_code=lang, bylines__author__slug="narine-galstyan"
    )
    assert sorted(links) == sorted(p.url for p in bylined)


def test_two_authors_with_the_same_slug_in_different_languages_each_get_their_page(client, locale):
    Author.objects.create(locale=locale("en"), slug="ivan-petrov", name="Ivan Petrov")
    Author.objects.create(locale=locale("ru"), slug="ivan-petrov", name="Иван Петров")
    english = soup(client.get("/en/authors/ivan-petrov/"))
    russian = soup(client.get("/ru/authors/ivan-petrov/"))
    assert english.h1.get_text(strip=True) == "Ivan Petrov"
    assert russian.h1.get_text(strip=True) == "Иван Петров"


@pytest.mark.parametrize("path", ["/en/tags/no-such-tag/", "/ru/tags/no-such-tag/"])
def test_an_unknown_tag_is_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/en/authors/nobody-here/", "/az/authors/nobody-here/"])
def test_an_unknown_author_is_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/en/tags/{slug}/?page=abc", "/en/authors/oliver-grant/?page=0"])
def test_a_bad_page_number_on_a_listing_is_not_found(client, article, path):
    response = client.get(path.format(slug=article.tags.first().slug))
    assert response.status_code == 404


def test_the_byline_costs_two_queries_however_many_authors(article, django_assert_max_num_queries):
    from dateline.news.models import Author
    from dateline.news.services import set_byline

    set_byline(article, list(Author.objects.filter(locale=article.locale)))
    article.save()
    with django_assert_max_num_queries(2):
        names = [author.name for author in article.authors()]
    assert len(names) == Author.objects.filter(locale=article.locale).count()
