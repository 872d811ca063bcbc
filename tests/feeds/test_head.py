"""What search engines and link previews read in each page's head, in every language."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import quote, unquote

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from PIL import Image
from wagtail.models import Locale

from dateline.news import services
from dateline.news.models import ArticlePage, HomePage, SectionPage, StandardPage

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "hy", "az"]


def absolute(path: str) -> str:
    return settings.DATELINE_BASE_URL.rstrip("/") + path


def head_of(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.content.decode(), "html.parser").head


def meta(head, key: str, attribute: str = "property") -> list[str]:
    return [tag["content"] for tag in head.find_all("meta", attrs={attribute: key})]


def hreflangs(head) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"]
        for link in head.find_all("link", rel="alternate")
        if link.get("hreflang")
    }


def json_ld(head) -> list[dict]:
    return [
        json.loads(script.string)
        for script in head.find_all("script", attrs={"type": "application/ld+json"})
    ]


def local_image(url: str) -> Image.Image:
    """Open a picture the page points at, from the test media folder."""
    path = url.removeprefix(absolute(settings.MEDIA_URL))
    return Image.open(settings.MEDIA_ROOT / path)


@pytest.fixture(params=LANGUAGES)
def lang(request) -> str:
    return request.param


@pytest.fixture
def story(article, lang) -> ArticlePage:
    return article.get_translation(Locale.objects.get(language_code=lang))


def test_every_page_has_reciprocal_hreflang_with_x_default(client, story, lang):
    pages = [story, story.get_parent().specific, HomePage.objects.get(locale=story.locale)]
    for page in pages:
        head = head_of(client, page.url)
        links = hreflangs(head)
        assert links[lang] == absolute(page.url)
        assert set(links) == {"en", "ru", "hy", "az", "x-default"}
        assert links["x-default"] == links["en"]
        for code in LANGUAGES:
            # each translation lists the very same set, itself included
            assert hreflangs(head_of(client, local(links[code]))) == links


def local(url: str) -> str:
    return url.removeprefix(settings.DATELINE_BASE_URL.rstrip("/"))


def test_article_head_has_open_graph_twitter_robots_and_description(client, story, lang):
    head = head_of(client, story.url)
    assert head.find("link", rel="canonical")["href"] == absolute(story.url)
    assert meta(head, "description", "name") == [story.standfirst]
    assert meta(head, "og:type") == ["article"]
    assert meta(head, "og:title") == [story.title]
    assert meta(head, "og:url") == [absolute(story.url)]
    assert meta(head, "og:description") == [story.standfirst]
    assert meta(head, "og:image:width") == ["1200"]
    assert local_image(meta(head, "og:image")[0]).size == (1200, 630)
    published = datetime.fromisoformat(meta(head, "article:published_time")[0])
    assert abs((published - story.first_published_at).total_seconds()) < 1
    modified = datetime.fromisoformat(meta(head, "article:modified_time")[0])
    assert abs((modified - story.last_published_at).total_seconds()) < 1
    assert meta(head, "article:section") == [story.get_parent().title]
    assert set(meta(head, "article:tag")) == {tag.name for tag in story.tags.all()}
    assert meta(head, "twitter:card", "name") == ["summary_large_image"]
    assert meta(head, "twitter:image", "name") == meta(head, "og:image")
    [robots] = meta(head, "robots", "name")
    assert "max-image-preview:large" in robots
    assert "noindex" not in robots


def test_pages_link_their_feeds(client, story, lang):
    def feeds(path):
        return [
            link["href"]
            for link in head_of(client, path).find_all("link", rel="alternate")
            if link.get("type") == "application/rss+xml"
        ]

    section = story.get_parent().specific
    assert feeds(f"/{lang}/") == [f"/{lang}/rss.xml"]
    assert feeds(section.url) == [f"/{lang}/rss.xml", f"/{lang}/{section.slug}/rss.xml"]
    assert feeds(story.url) == [f"/{lang}/rss.xml", f"/{lang}/{section.slug}/rss.xml"]
    tag = story.tags.first()
    tag_feed = quote(f"/{lang}/tags/{tag.slug}/rss.xml")
    assert tag_feed in feeds(quote(f"/{lang}/tags/{tag.slug}/"))
    assert client.get(unquote(tag_feed)).status_code == 200
    author = story.bylines.first().author
    assert f"/{lang}/authors/{author.slug}/rss.xml" in feeds(f"/{lang}/authors/{author.slug}/")
    for path in feeds(story.url):
        assert client.get(path).status_code == 200


# Google's documented properties: developers.google.com/search/docs/appearance/
# structured-data/article (NewsArticle), /breadcrumb, /organization, and the
# sitelinks search box (WebSite + SearchAction).
NEWS_ARTICLE_PROPERTIES = {"headline", "image", "datePublished", "dateModified", "author"}


def test_article_carries_news_article_json_ld_as_google_documents_it(client, story, lang):
    items = {item["@type"]: item for item in json_ld(head_of(client, story.url))}
    article = items["NewsArticle"]
    assert article["@context"] == "https://schema.org"
    assert set(article) >= NEWS_ARTICLE_PROPERTIES
    assert article["headline"] == story.title
    assert len(article["headline"]) <= 110 or story.title == article["headline"]
    sizes = [local_image(url).size for url in article["image"]]
    assert sizes == [(1200, 1200), (1200, 900), (1200, 675)]  # 1:1, 4:3, 16:9
    for key in ("datePublished", "dateModified"):
        assert datetime.fromisoformat(article[key]).tzinfo is not None
    published = datetime.fromisoformat(article["datePublished"])
    assert abs((published - story.first_published_at).total_seconds()) < 1
    assert article["author"]
    for person in article["author"]:
        assert person["@type"] == "Person"
        assert person["name"]
        assert person["url"].startswith(absolute(f"/{lang}/authors/"))
        assert client.get(local(person["url"])).status_code == 200
    publisher = article["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"]
    assert publisher["logo"]["url"].endswith(".png")
    assert article["inLanguage"] == lang
    assert article["isAccessibleForFree"] is True
    assert article["mainEntityOfPage"]["@id"] == absolute(story.url)

    trail = items["BreadcrumbList"]["itemListElement"]
    assert [item["position"] for item in trail] == [1, 2, 3]
    assert [item["item"] for item in trail] == [
        absolute(f"/{lang}/"),
        absolute(story.get_parent().url),
        absolute(story.url),
    ]
    assert all(item["@type"] == "ListItem" and item["name"] for item in trail)


def test_home_carries_organization_and_website_with_search_action(client, lang):
    items = {item["@type"]: item for item in json_ld(head_of(client, f"/{lang}/"))}
    organization = items["Organization"]
    assert organization["url"] == absolute(f"/{lang}/")
    assert organization["logo"]["width"] >= 112
    assert organization["sameAs"]
    website = items["WebSite"]
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert template == absolute(f"/{lang}/search/") + "?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    search = client.get(local(template.replace("{search_term_string}", "harbour")))
    assert search.status_code == 200


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client, world):
    headline = 'Quote </script><script>alert("x")</script> & <!-- more'
    author = world.get_children().live().first().specific.authors()[0]
    story = services.create_article(
        world, title=headline, slug="hostile-headline", standfirst="x", authors=[author]
    )
    html = client.get(story.url).content.decode()
    head = html[: html.index("</head>")]
    scripts = head.split('<script type="application/ld+json">')[1:]
    for script in scripts:
        body = script[: script.index("</script>")]
        assert "<" not in body and ">" not in body
    parsed = json_ld(BeautifulSoup(html, "html.parser").head)
    assert parsed[0]["headline"] == headline


def test_a_noindex_page_says_so_and_search_and_404_keep_their_own_robots(client, home):
    page = StandardPage(title="Internal", slug="internal", noindex=True)
    home.add_child(instance=page)
    services.publish(page)
    assert meta(head_of(client, page.url), "robots", "name") == ["noindex, follow"]
    assert hreflangs(head_of(client, page.url)) == {}
    search = BeautifulSoup(client.get("/en/search/?q=x").content, "html.parser").head
    assert meta(search, "robots", "name") == ["noindex"]
    missing = client.get("/en/no-such-page/")
    assert missing.status_code == 404
    assert meta(BeautifulSoup(missing.content, "html.parser").head, "robots", "name") == ["noindex"]


def test_section_pages_describe_themselves(client, lang):
    section = SectionPage.objects.get(slug="world", locale__language_code=lang)
    head = head_of(client, section.url)
    assert meta(head, "og:description") == [section.description]
    assert meta(head, "og:image:width") == ["1200"]
