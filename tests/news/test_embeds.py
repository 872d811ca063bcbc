"""Embeds: a facade with nothing from the provider until the reader asks, titles from a
provider's oEmbed endpoint (a local fake here) when the story is saved, and clear
refusals for what cannot be embedded."""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from wagtail.embeds.blocks import EmbedValue
from wagtail.embeds.models import Embed

from dateline.news import embeds
from dateline.news.blocks import StoryEmbedBlock
from dateline.news.models import ArticlePage
from tests.factories import story

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def oembed(settings):
    """A provider's oEmbed endpoint on loopback; `answer` says what it does next."""
    state = {"answer": {"title": "Harbour cranes at dawn", "author_name": "Port TV"}}
    asked: list[str] = []
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            asked.append(self.path)
            answer = state["answer"]
            if answer == "hang":
                stop.wait(120)
                return
            if isinstance(answer, int):
                self.send_error(answer)
                return
            body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.DATELINE_OEMBED_YOUTUBE_URL = f"http://127.0.0.1:{server.server_port}/oembed"
    settings.DATELINE_OEMBED_TIMEOUT = 1
    state["asked"] = asked
    yield state
    stop.set()
    server.shutdown()
    server.server_close()


def saved(url: str) -> EmbedValue:
    """What the editor's form does on save: the block is cleaned, which finds the embed."""
    return StoryEmbedBlock().clean(EmbedValue(url))


def test_saving_finds_the_title_and_the_page_shows_a_facade(client, world, oembed):
    saved(VIDEO)
    assert "url=https%3A%2F%2Fwww.youtube.com" in oembed["asked"][0]
    page = client.get(story(world, "with-video", body=[("embed", VIDEO)]).url)
    html = page.content.decode()
    figure = re.search(r"<figure class=\"embed.*?</figure>", html, re.S).group(0)
    assert (
        'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in figure
    )
    assert "Harbour cranes at dawn" in figure and "Port TV" in figure
    assert "Play the YouTube video here" in figure
    # Nothing on the page loads from the provider before the reader asks.
    assert "<iframe" not in html
    assert not re.search(r'(?<![\w-])(src|srcset)="https://[^"]*(youtube|ytimg)', html)


def test_reading_a_story_never_asks_the_provider(client, world, oembed):
    saved(VIDEO)
    asked = len(oembed["asked"])
    Embed.objects.update(cache_until=None)
    client.get(story(world, "read-only", body=[("embed", VIDEO)]).url)
    assert len(oembed["asked"]) == asked


@pytest.mark.parametrize("answer", [500, "hang", b"not json", b"[1, 2]", b"x" * 300_000])
def test_a_provider_that_fails_leaves_the_embed_without_a_title(client, world, oembed, answer):
    oembed["answer"] = answer
    started = time.monotonic()
    saved(VIDEO)
    assert time.monotonic() - started < 60  # not the two minutes a hanging provider takes
    embed = Embed.objects.get(url=VIDEO)
    assert embed.title == "" and embed.provider_name == "YouTube"
    page = client.get(story(world, "quiet-provider", body=[("embed", VIDEO)]).url).content.decode()
    assert "Play the YouTube video here" in page


def test_a_hostile_title_is_shown_as_text(client, world, oembed):
    oembed["answer"] = {"title": "<script>alert(1)</script>", "author_name": 7}
    saved(VIDEO)
    page = client.get(story(world, "hostile", body=[("embed", VIDEO)]).url).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/some-video",
        "https://www.youtube.com/channel/UC123",
        "javascript:alert(1)",
    ],
)
def test_what_cannot_be_embedded_is_refused_with_a_message(url):
    with pytest.raises(ValidationError) as refused:
        saved(url)
    message = " ".join(refused.value.messages)
    assert "cannot be embedded" in message or "Enter a valid URL" in message
    if url.startswith("https://example.org"):
        assert "Posts from example.org cannot be embedded" in message
        assert "YouTube, Vimeo, X, Instagram, Facebook, Telegram" in message


@pytest.mark.parametrize(
    "url, frame",
    [
        (VIDEO, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://x.com/newsroom/status/1790000000000000000", "https://platform.twitter.com/"),
        ("https://www.instagram.com/p/C7abc123/", "https://www.instagram.com/p/C7abc123/embed/"),
        ("https://www.facebook.com/newsroom/posts/12345", "https://www.facebook.com/plugins/"),
        ("https://t.me/dateline_demo/128", "https://t.me/dateline_demo/128?embed=1"),
    ],
)
def test_every_provider_loads_from_a_host_the_policy_allows(client, article, url, frame):
    shown = embeds.facade(url)
    assert shown.frame.startswith(frame)
    policy = client.get(article.url)["Content-Security-Policy"]
    frame_src = next(part for part in policy.split(";") if part.strip().startswith("frame-src"))
    host = re.match(r"https://([^/?]+)", shown.frame)[1]
    assert f"https://{host}" in frame_src.split()


def test_feeds_and_the_api_get_a_link_not_a_frame(client, world, oembed):
    saved(VIDEO)
    with_video = story(world, "api-video", body=[("embed", VIDEO)])
    body = client.get(f"/api/v1/articles/{with_video.pk}").json()["body_html"]
    assert f'<a href="{VIDEO}"' in body and "YouTube: Harbour cranes at dawn" in body
    assert "iframe" not in body


@pytest.mark.parametrize("lang", ["en", "ru", "hy", "az"])
def test_the_demo_has_an_embed_in_every_language(client, lang):
    source = ArticlePage.objects.get(
        slug="kestrin-water-main-replacement-night-outages", locale__language_code="en"
    )
    demo = ArticlePage.objects.get(
        translation_key=source.translation_key, locale__language_code=lang
    )
    page = client.get(demo.url).content.decode()
    assert 'data-embed-src="https://t.me/dateline_demo/128?embed=1"' in page
