"""The suite runs against the demo newsroom, loaded once per session (per xdist worker)
through the same loader that `dateline demo` uses. Each test runs in a transaction that
is rolled back.

Do not use transactional tests (`transaction=True`, `live_server`): they flush the
database and would take the demo away from every test after them. Tests that need real
processes start `dateline` in a subprocess with a data folder of their own.

Which kind is your test? Mark it, at the top of its module (`pytestmark`):

- `engine`: what it checks depends on the database or cache engine (search, view counters
  and their flush, locks and leases, migrations, raw SQL, query counts, cache generations
  and anything shared through Redis, odd input that one engine refuses). CI runs the
  whole suite on SQLite and the `engine` tests again on PostgreSQL + Redis
  (`make test-engines`). When in doubt, mark it: the cost is one more run of it.
- `live`: it starts `dateline` processes of its own (tests/live_site.py). Those ignore the
  suite's DATABASE_URL and REDIS_URL, so a live test that depends on the engine takes the
  engine as a parameter instead and runs once per CI run.
- `e2e`: it drives Chromium against a live site (tests/e2e/).
- Anything else runs on SQLite only.

The suite runs on both cores (pytest-xdist, `--dist loadgroup`). Each worker has its own
test database, data folder, cache prefix and Redis database (settings/test.py); a test
may not depend on another's order or leftovers. Tests of one module that share a live
site, and all browser tests, run on one worker so the site or browser starts once."""

from __future__ import annotations

import os
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale

from dateline.news.models import ArticlePage, HomePage, SectionPage
from tests.live_site import ENGINES, RUN_VARIABLE, Engine, drop_run_databases

LANGUAGES = ["en", "ru", "hy", "az"]
# Not a worker's database (settings/test.py gives those 1 + n), nor the SQLite pass's 15.
RQ_TEST_REDIS = "redis://127.0.0.1:6379/9"


def pytest_configure(config) -> None:
    if not hasattr(config, "workerinput"):  # the run's first process; workers inherit it
        os.environ[RUN_VARIABLE] = uuid.uuid4().hex[:10]


def pytest_sessionfinish(session) -> None:
    if not hasattr(session.config, "workerinput"):
        drop_run_databases(os.environ[RUN_VARIABLE])


@pytest.hookimpl(wrapper=True)  # around xdist's own hook, which reads the groups
def pytest_collection_modifyitems(config, items):
    """Browser tests share one worker; each live module's tests share one worker per
    value of its module-wide parameters (such as the engine), so each site starts once."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif item.get_closest_marker("live"):
            item.add_marker(pytest.mark.xdist_group(_shared_fixtures_of(item)))
        elif "rq_queue" in item.fixturenames:
            # one Redis database holds the RQ tests' queue, emptied by each of them
            item.add_marker(pytest.mark.xdist_group("rq-queue"))
    result = yield
    grouped = [item for item in items if item.get_closest_marker("xdist_group")]
    if getattr(config.option, "loadgroup", False) and grouped and "@" not in grouped[0].nodeid:
        # xdist marks a group in the test's id; a pytest it does not support ignores that
        raise pytest.UsageError(
            "pytest-xdist did not group the live and browser tests with this pytest: "
            "install the versions pyproject.toml names"
        )
    return result


def _shared_fixtures_of(item) -> str:
    """The module and the values of the module- or session-wide parameters it runs with."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    shared = [
        f"{name}={value}"
        for name, value in sorted(params.items())
        if item._fixtureinfo.name2fixturedefs.get(name)
        and item._fixtureinfo.name2fixturedefs[name][-1].scope in ("module", "session")
    ]
    return "::".join([item.module.__name__, *shared])


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from dateline.demo.loader import load_demo

    with django_db_blocker.unblock():
        # Without the demo's simulated readers: tests count views of their own from zero
        # (tests/demo/test_reading.py covers the simulated day).
        load_demo(simulate_readers=False)


@pytest.fixture(scope="module", params=ENGINES, ids=lambda engine: engine.name)
def live_engine(request) -> Engine:
    """For live tests whose behaviour depends on the engine: each runs on both."""
    request.param.require()
    return request.param


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
def workers_keep_the_test_connection(monkeypatch):
    """A task worker run inside a test closes "old" connections between tasks, as it must
    in production; on PostgreSQL that would close the connection holding the test's own
    transaction (SQLite keeps its in-memory database open). Inside the suite it keeps it."""
    from django_tasks_db.management.commands import db_worker

    from dateline.ops import worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker, "close_connections", lambda: None)


@pytest.fixture(autouse=True)
def site_language_first():
    """A request in another language leaves that language active in the thread (Django's
    locale middleware does not switch back): each test starts in the site's own."""
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def no_search_statistics(monkeypatch):
    """How common each word is among a language's newest stories is counted on PostgreSQL
    once every few minutes and kept, so whether a test's search counted it would depend on
    the tests before it: each test starts without counts (every word counts as rare)
    unless it sets its own."""
    from dateline.search import services
    from dateline.search.shares import Shares

    monkeypatch.setattr(services, "current_shares", lambda language: Shares())


@pytest.fixture(autouse=True)
def one_rate_window(monkeypatch):
    """Rate limits count in fixed windows of a minute: a test that sends a client over its
    limit would pass the limit unnoticed if its requests fell on both sides of a minute's
    turn. Each test runs inside one window, with no request of an earlier test counted."""
    from dateline.analytics import counting
    from dateline.api import throttle
    from dateline.core import ratelimit

    def held_window(seconds: int = ratelimit.WINDOW_SECONDS) -> tuple[int, int]:
        return 1_000_000, seconds // 2

    for module in (ratelimit, throttle, counting):
        monkeypatch.setattr(module, "current_window", held_window)
    ratelimit._local.clear()


@pytest.fixture(autouse=True)
def fresh_fragments():
    """Cached fragments and per-process copies are not rolled back with the database:
    each test starts a new generation, so none sees what an earlier test wrote."""
    from dateline.core.fragments import retire_fragments

    retire_fragments()


@pytest.fixture
def rq_queue(settings, db):
    """RQ on Redis database 9 of the machine's Redis, emptied before and after. The tests
    that use it run on one xdist worker (see pytest_collection_modifyitems)."""
    import redis

    client = redis.Redis.from_url(RQ_TEST_REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    client.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": RQ_TEST_REDIS}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.DATELINE_TASKS = "rq"
    yield client
    client.flushdb()


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
