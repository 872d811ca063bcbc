"""The suite runs against the demo newsroom, loaded once per session through the same
loader that `dateline demo` uses. Each test runs in a transaction that is rolled back.

Do not use transactional tests (`transaction=True`, `live_server`): they flush the
database and would take the demo away from every test after them. Tests that need real
processes start `dateline` in a subprocess with a data folder of their own."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale

from dateline.news.models import ArticlePage, HomePage, SectionPage

LANGUAGES = ["en", "ru", "hy", "az"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from dateline.demo.loader import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def locale(db):
    return lambda code: Locale.objects.get(language_code=code)


@pytest.fixture
def home(db) -> HomePage:
    return HomePage.objects.get(locale__language_code="en")


@pytest.fixture
def world(db) -> SectionPage:
    return SectionPage.objects.get(slug="world", locale__language_code="en")


@pytest.fixture
def article(world) -> ArticlePage:
    """The newest English story in World; it has translations in every language."""
    return world.articles().first()


def _user_in(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, password="pass-for-tests-123")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def contributor(db):
    return _user_in("Contributors", "carla")


@pytest.fixture
def editor(db):
    return _user_in("Editors", "eddie")


@pytest.fixture(autouse=True)
def fresh_fragments():
    """Cached fragments and per-process copies are not rolled back with the database:
    each test starts a new generation, so none sees what an earlier test wrote."""
    from dateline.core.fragments import retire_fragments

    retire_fragments()


@pytest.fixture(autouse=True)
def own_redis_keys(settings):
    """Redis is not rolled back with the database: each test counts views under keys of
    its own, removed afterwards, so no test sees another's readers or buffered views."""
    import uuid

    settings.DATELINE_CACHE_PREFIX = f"dateline-test-{uuid.uuid4().hex[:10]}"
    yield
    if settings.REDIS_URL:
        from django_redis import get_redis_connection

        connection = get_redis_connection("default")
        for key in connection.scan_iter(f"{settings.DATELINE_CACHE_PREFIX}:*"):
            connection.delete(key)
