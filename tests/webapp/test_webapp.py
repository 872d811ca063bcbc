"""The installable site's parts as the server gives them: a manifest per language, the
service worker and the offline page."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ru", "hy", "az"])
def test_each_language_has_its_manifest(client, language):
    response = client.get(f"/{language}/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == language and manifest["start_url"] == f"/{language}/"
    assert manifest["id"] == f"/{language}/" and manifest["display"] == "standalone"
    assert manifest["name"] and len(manifest["short_name"]) <= 12
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    page = client.get(f"/{language}/").content.decode()
    assert f'<link rel="manifest" href="/{language}/manifest.webmanifest">' in page


def test_the_icons_are_the_sizes_the_manifest_says(client):
    from django.contrib.staticfiles import finders
    from PIL import Image

    for name, size in [
        ("icon-192.png", 192),
        ("icon-512.png", 512),
        ("icon-maskable-512.png", 512),
    ]:
        with Image.open(finders.find(f"dateline/icons/{name}")) as image:
            assert image.size == (size, size), name


def test_the_service_worker_is_served_from_the_root_with_every_offline_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    for language in ("en", "ru", "hy", "az"):
        assert f'"/{language}/offline/"' in script
    assert "{{" not in script and "{%" not in script


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "You are offline"),
        ("ru", "Нет подключения"),
        ("hy", "Կապ չկա"),
        ("az", "Bağlantı yoxdur"),
    ],
)
def test_the_offline_page_speaks_the_readers_language(client, language, heading):
    response = client.get(f"/{language}/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert heading in html and '<meta name="robots" content="noindex">' in html
