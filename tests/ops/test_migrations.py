"""Every migration of ours can be undone on a populated site, and redone: the stories, their
translations and their views come through, and the site serves again."""

from __future__ import annotations

import urllib.request

import pytest

from .conftest import inventory

pytestmark = pytest.mark.live

# Back to each app's first migration, so that every later migration runs backwards once.
FIRST_MIGRATIONS = {
    "news": "0001",
    "analytics": "0001",
    "dateline_search": "0001",
}


def applied(site, app: str) -> list[str]:
    out = site.run("manage", "showmigrations", app)
    return [line.strip()[4:] for line in out.splitlines() if line.strip().startswith("[X]")]


def test_migrations_go_back_and_forward_on_a_populated_site(populated):
    before = inventory(populated)
    populated.stop()  # as in an upgrade or a rollback: the processes are stopped first
    try:
        for app, target in FIRST_MIGRATIONS.items():
            populated.run("manage", "migrate", app, target, "--verbosity", "0")
            assert len(applied(populated, app)) == 1, app
        populated.run("manage", "migrate", "--verbosity", "0")
        for app in FIRST_MIGRATIONS:
            assert len(applied(populated, app)) > 1, app
        populated.run("setup")  # puts back what setup owns, such as the search index
    finally:
        populated.start()
    after = inventory(populated)
    assert after["articles"] == before["articles"]  # every story, translation and count
    assert after["images"] == before["images"]
    assert after["authors"] == before["authors"]
    for path in ("/en/", "/ru/", "/hy/search/?q=a", "/readyz"):
        with urllib.request.urlopen(populated.base_url + path, timeout=30) as response:
            assert response.status == 200, path
    groups = populated.shell(
        "from django.contrib.auth.models import Group\n"
        "print(sorted(Group.objects.values_list('name', flat=True)))"
    )
    assert "Editors" in groups and "Contributors" in groups
