"""Sites of the tests' own, on SQLite and (when it runs here) PostgreSQL, each in a data
folder and database of its own; and what two sites can be compared by."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.live_site import POSTGRES_SERVER, Engine, LiveSite, create_database, demo_site

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"

# Everything a reader or editor would miss, as plain data that two sites can be compared by.
INVENTORY = """
import hashlib, json
from django.conf import settings
from wagtail.models import Page
from dateline.analytics.counting import stored_total
from dateline.core.models import NewsImage
from dateline.news.models import ArticlePage, Author
articles = sorted(
    (
        a.locale.language_code, a.url_path, a.title, a.standfirst, a.source, a.live,
        str(a.translation_key), a.first_published_at.isoformat() if a.first_published_at else "",
        json.dumps(list(a.body.raw_data), sort_keys=True, default=str),
        a.lead_image.file.name if a.lead_image else "",
        sorted(t.name for t in a.tags.all()),
        [byline.author.name for byline in a.bylines.all()],
        stored_total(a.pk),
    )
    for a in ArticlePage.objects.select_related("locale", "lead_image")
)
images = sorted(
    (i.title, i.file.name, hashlib.sha256(i.file.open("rb").read()).hexdigest())
    for i in NewsImage.objects.all()
)
authors = sorted((a.locale.language_code, a.name, a.slug) for a in Author.objects.all())
pages = sorted((p.locale.language_code, p.url_path, p.live) for p in Page.objects.all())
print(json.dumps({"articles": articles, "images": images, "authors": authors, "pages": pages}))
"""

VIEWS = """
from dateline.analytics.counting import stored_total
from dateline.news.models import ArticlePage
print(sum(stored_total(pk) for pk in ArticlePage.objects.values_list("pk", flat=True)))
"""


def inventory(site: LiveSite) -> dict:
    return json.loads(site.shell(INVENTORY).strip().splitlines()[-1])


def beacon(site: LiveSite, article: int, reader: str) -> dict:
    request = urllib.request.Request(
        f"{site.base_url}/api/v1/articles/{article}/views",
        data=b"{}",
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": BROWSER,
            "X-Forwarded-For": reader,
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def engine(request) -> str:
    """The database these sites run on (PostgreSQL without Redis: views go straight to the
    database, so a backup holds every one)."""
    if request.param == "postgres":
        Engine("postgres+redis").require()
    return request.param


def new_site(engine: str, tmp_path_factory, name: str) -> LiveSite:
    """An empty site: a data folder, and a database of its own on PostgreSQL."""
    database_url = f"{POSTGRES_SERVER}/{create_database()}" if engine == "postgres" else ""
    return LiveSite(
        tmp_path_factory.mktemp(name),
        database_url=database_url,
        DATELINE_TRUSTED_PROXIES="127.0.0.1",
    )


@pytest.fixture(scope="module")
def populated(engine, tmp_path_factory):
    """The demo newsroom, served, with views counted on twelve stories (1 + 2 + … + 12) on
    top of the demo's simulated ones (`views_before`)."""
    site = demo_site(tmp_path_factory, "original", engine, DATELINE_TRUSTED_PROXIES="127.0.0.1")
    site.views_before = int(site.shell(VIEWS).strip().splitlines()[-1])
    site.articles = json.loads(
        site.shell(
            "import json\nfrom dateline.news.models import ArticlePage\n"
            "print(json.dumps(list(ArticlePage.objects.live().values_list('pk', flat=True)"
            ".order_by('pk')[:12])))"
        )
        .strip()
        .splitlines()[-1]
    )
    site.start()
    for n, article in enumerate(site.articles):
        for reader in range(n + 1):
            beacon(site, article, f"198.51.100.{reader}")
    yield site
    site.stop()
