"""Under load, a page that goes stale or is missing is rendered once, not once per
reader; a failing render never replaces a good copy."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from wsgiref.util import setup_testing_defaults

import pytest

from dateline.core.generations import FileCounters, Named, RedisCounters
from dateline.pagecache import policy
from dateline.pagecache.layer import PageCache, PageCacheConfig
from dateline.pagecache.store import LocalStore, RenderLocks

from .conftest import call

pytestmark = pytest.mark.engine


class SlowPage:
    """A stand-in for Django that takes a while to render and counts its renders."""

    def __init__(self, seconds: float = 0.2) -> None:
        self.seconds = seconds
        self.renders = 0
        self.status = "200 OK"
        self.headers = [("Content-Type", "text/html; charset=utf-8")]
        self._lock = threading.Lock()
        self.rendering = 0
        self.most_at_once = 0

    def __call__(self, environ, start_response):
        with self._lock:
            self.renders += 1
            number = self.renders
            self.rendering += 1
            self.most_at_once = max(self.most_at_once, self.rendering)
        time.sleep(self.seconds)
        with self._lock:
            self.rendering -= 1
        start_response(self.status, self.headers)
        return [f"<p>render {number}</p>".encode() * 100]


@pytest.fixture
def generation(tmp_path):
    return Named("content", floor="pulled", backend=FileCounters(tmp_path / "generations"))


def page_cache(app, generation, tmp_path, fresh_seconds=300.0, background=False):
    config = PageCacheConfig(
        fresh_seconds=fresh_seconds,
        stale_seconds=3600,
        cache_control="public, max-age=0",
        bypass_cookies=("sessionid=",),
    )
    return PageCache(
        app,
        config,
        generation=generation,
        local=LocalStore(16 * 1024 * 1024),
        shared=None,
        locks=RenderLocks(tmp_path / "locks"),
        revalidate_in_background=background,
    )


def many(cache, count=64, path="/en/"):
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: call(cache, path), range(count)))


def test_a_hundred_readers_of_a_missing_page_cause_one_render(generation, tmp_path):
    app = SlowPage()
    cache = page_cache(app, generation, tmp_path)
    answers = many(cache, 100)
    assert app.renders == 1
    assert app.most_at_once == 1
    assert {answer.status for answer in answers} == {200}
    assert {answer.text for answer in answers} == {"<p>render 1</p>" * 100}


def test_after_a_publish_readers_get_the_previous_copy_while_one_renders(generation, tmp_path):
    app = SlowPage()
    cache = page_cache(app, generation, tmp_path)
    call(cache, "/en/")
    generation.advance()
    answers = many(cache, 100)
    assert app.renders == 2
    outcomes = [answer.outcome for answer in answers]
    assert outcomes.count("miss") == 1
    assert set(outcomes) <= {"miss", "stale", "hit"}
    assert call(cache, "/en/").text == "<p>render 2</p>" * 100


def test_in_the_background_no_reader_waits_for_the_new_copy(generation, tmp_path):
    app = SlowPage(seconds=0.3)
    cache = page_cache(app, generation, tmp_path, background=True)
    call(cache, "/en/")
    generation.advance()
    answers = many(cache, 100)
    assert {answer.outcome for answer in answers} == {"stale"}
    assert {answer.text for answer in answers} == {"<p>render 1</p>" * 100}
    cache.revalidator.queue.join()
    assert app.renders == 2
    assert call(cache, "/en/").text == "<p>render 2</p>" * 100


def take_down(generation) -> None:
    """What unpublishing a story does to the numbers (news/events.py)."""
    generation.backend.raise_to("pulled", generation.advance())


def test_after_a_takedown_no_reader_gets_the_old_copy_even_stale(generation, tmp_path):
    app = SlowPage(seconds=0.2)
    cache = page_cache(app, generation, tmp_path, background=True)
    call(cache, "/en/")
    take_down(generation)
    answers = many(cache, 50)
    assert {answer.text for answer in answers} == {"<p>render 2</p>" * 100}
    assert "stale" not in {answer.outcome for answer in answers}
    assert app.renders == 2


def test_a_failing_render_after_a_takedown_serves_the_failure_not_the_old_copy(
    generation, tmp_path
):
    app = SlowPage(seconds=0)
    cache = page_cache(app, generation, tmp_path)
    call(cache, "/en/")
    take_down(generation)
    app.status = "500 Internal Server Error"
    answer = call(cache, "/en/")
    assert answer.status == 500
    assert "render 1" not in answer.text


def test_a_reader_who_saw_the_stale_copy_late_does_not_cause_a_second_render(generation, tmp_path):
    app = SlowPage(seconds=0)
    cache = page_cache(app, generation, tmp_path, background=True)
    call(cache, "/en/")
    generation.advance()
    environ = {"PATH_INFO": "/en/", "QUERY_STRING": "", "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    key = policy.request_key(environ)
    stale = cache._lookup(key)
    # Two readers got the stale copy; the second took the render lock only after the
    # first one's render had finished and let it go.
    cache.revalidate(key, environ, stale)
    cache.revalidate(key, environ, stale)
    assert app.renders == 2
    assert call(cache, "/en/").text == "<p>render 2</p>" * 100


def test_a_failed_background_render_keeps_the_copy(generation, tmp_path):
    app = SlowPage(seconds=0)
    cache = page_cache(app, generation, tmp_path, background=True)
    good = call(cache, "/en/")
    generation.advance()
    app.status = "500 Internal Server Error"
    assert call(cache, "/en/").body == good.body
    cache.revalidator.queue.join()
    again = call(cache, "/en/")
    assert (again.status, again.body) == (200, good.body)


def test_an_expired_copy_is_rendered_again_once(generation, tmp_path):
    app = SlowPage(seconds=0.05)
    cache = page_cache(app, generation, tmp_path, fresh_seconds=0.2)
    call(cache, "/en/")
    time.sleep(0.3)
    many(cache, 50)
    assert app.renders == 2


def test_a_failing_render_keeps_serving_the_good_copy(generation, tmp_path):
    app = SlowPage(seconds=0)
    cache = page_cache(app, generation, tmp_path)
    good = call(cache, "/en/")
    generation.advance()
    app.status = "503 Service Unavailable"
    answer = call(cache, "/en/")
    assert (answer.status, answer.outcome) == (200, "stale")
    assert answer.body == good.body


def test_a_failure_with_no_copy_reaches_the_reader_and_is_not_kept(generation, tmp_path):
    app = SlowPage(seconds=0)
    app.status = "500 Internal Server Error"
    cache = page_cache(app, generation, tmp_path)
    assert call(cache, "/en/").status == 500
    app.status = "200 OK"
    assert call(cache, "/en/").status == 200


def test_pages_that_may_not_be_kept_do_not_queue_behind_each_other(generation, tmp_path):
    app = SlowPage(seconds=0.1)
    app.headers = [*app.headers, ("Cache-Control", "private")]
    cache = page_cache(app, generation, tmp_path)
    call(cache, "/en/search/?q=x")
    many(cache, 20, path="/en/search/?q=x")
    assert app.renders == 21
    assert app.most_at_once > 1


def test_a_huge_response_is_delivered_whole_but_not_kept(generation, tmp_path):
    def huge(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"x" * (1024 * 1024)] * 6

    cache = page_cache(huge, generation, tmp_path)
    answer = call(cache, "/en/huge/")
    assert len(answer.raw) == 6 * 1024 * 1024
    assert call(cache, "/en/huge/").outcome != "hit"


def test_the_generation_is_shared_through_its_file(tmp_path):
    one = Named("content", backend=FileCounters(tmp_path / "generations"))
    other = Named("content", backend=FileCounters(tmp_path / "generations"))
    before = other.current()
    one.advance()
    assert other.current() > before


def test_an_unreachable_redis_keeps_the_last_generation():
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    dead = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    generation = Named("content", backend=RedisCounters(dead, "dateline-test", poll_seconds=0))
    assert generation.current() == 0
    with pytest.raises(redis.exceptions.ConnectionError):
        generation.advance()
    assert generation.current() == 0


def test_pages_are_served_when_redis_is_down(tmp_path):
    import redis
    from django_redis.cache import RedisCache
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    from dateline.pagecache.store import SharedStore

    dead = redis.Redis(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 0))
    shared = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"IGNORE_EXCEPTIONS": True}})
    app = SlowPage(seconds=0)
    cache = PageCache(
        app,
        PageCacheConfig(300, 3600, "public", ("sessionid=",)),
        generation=Named("content", backend=RedisCounters(dead, "dateline-test", poll_seconds=0)),
        local=LocalStore(1024 * 1024),
        shared=SharedStore(shared, keep_seconds=60),
        locks=RenderLocks(tmp_path / "locks", redis_client=dead, prefix="dateline-test"),
    )
    answers = [call(cache, "/en/") for _ in range(3)]
    assert [answer.status for answer in answers] == [200, 200, 200]
    assert answers[-1].outcome == "hit"
