"""A CDN in front is told to drop every address a change affects."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import Locale

from dateline.news import services
from dateline.news.models import Author
from tests.factories import story

pytestmark = pytest.mark.django_db


@pytest.fixture
def purges():
    """A caching proxy that records the PURGE requests it gets."""

    class Received(list):
        location = ""

    received = Received()

    class Proxy(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.location = f"http://127.0.0.1:{server.server_port}"
    yield received
    server.shutdown()


@pytest.fixture
def cdn(settings, purges):
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": purges.location,
        }
    }
    return purges


def test_publishing_purges_the_story_and_everything_that_lists_it(
    cdn, world, django_capture_on_commit_callbacks
):
    author = Author.objects.filter(locale=world.locale).first()
    with django_capture_on_commit_callbacks(execute=True):
        story(world, "purged-story", authors=[author], tags=["purge-test"])
    for path in [
        "/en/world/purged-story/",
        "/en/world/",
        "/en/world/rss.xml",
        "/en/",
        "/en/rss.xml",
        "/en/news-sitemap.xml",
        "/en/tags/purge-test/",
        "/en/tags/purge-test/rss.xml",
        f"/en/authors/{author.slug}/",
        "/sitemap.xml",
    ]:
        assert path in cdn, path


def test_unpublishing_purges_the_translations_too(cdn, article, django_capture_on_commit_callbacks):
    russian = article.get_translation(Locale.objects.get(language_code="ru"))
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert article.url in cdn
    assert russian.url in cdn


def test_a_settings_change_purges_every_language_front_page(
    cdn, django_capture_on_commit_callbacks
):
    from dateline.core.models import SiteSettings

    with django_capture_on_commit_callbacks(execute=True):
        SiteSettings.load().save()
    assert {"/en/", "/ru/", "/hy/", "/az/", "/en/world/"} <= set(cdn)


def test_without_a_cdn_nothing_is_sent(
    purges, settings, article, django_capture_on_commit_callbacks
):
    settings.WAGTAILFRONTENDCACHE = {}
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article)
    assert purges == []
