"""The copies each process keeps in memory stay within the bytes they are given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid

import pytest

from dateline.core.memory_cache import BoundedMemoryCache


def bounded(max_bytes: int, **params) -> BoundedMemoryCache:
    return BoundedMemoryCache(
        f"test-{uuid.uuid4().hex}", {**params, "OPTIONS": {"MAX_BYTES": max_bytes}}
    )


def test_many_large_fragments_stay_within_the_bytes_given():
    cache = bounded(1024 * 1024)
    block = "<li>" + "x" * 30_000 + "</li>"
    for n in range(500):
        cache.set(f"fragment-{n}", block)
    assert cache.bytes_held <= 1024 * 1024
    assert cache.get("fragment-499") == block
    assert cache.get("fragment-0") is None
    # About 33 blocks of 30 KB fit in 1 MB.
    assert 25 <= sum(cache.get(f"fragment-{n}") is not None for n in range(500)) <= 34


def test_the_least_recently_read_entry_goes_first():
    cache = bounded(3 * 1300)
    for name in ("a", "b", "c"):
        cache.set(name, "v" * 1000)
    assert cache.get("a") == "v" * 1000  # read: now the most recent
    cache.set("d", "v" * 1000)
    assert cache.get("b") is None
    assert [cache.get(name) for name in ("a", "c", "d")] == ["v" * 1000] * 3


def test_an_entry_larger_than_the_whole_cache_is_not_kept_and_drops_nothing():
    cache = bounded(10_000)
    cache.set("small", 1)
    cache.set("huge", b"x" * 20_000)
    assert cache.get("huge") is None
    assert cache.get("small") == 1


def test_replacing_and_deleting_give_the_bytes_back():
    cache = bounded(100_000)
    cache.set("page", "x" * 50_000)
    cache.set("page", "y")
    assert cache.bytes_held < 1_000
    assert cache.delete("page") is True
    assert cache.delete("page") is False
    assert cache.bytes_held == 0


def test_entries_expire_and_add_touch_and_has_key_behave_like_django_caches():
    cache = bounded(100_000)
    cache.set("brief", "x", timeout=0.2)
    assert cache.has_key("brief")
    assert cache.add("brief", "other") is False
    time.sleep(0.3)
    assert cache.get("brief", "gone") == "gone"
    assert cache.add("brief", "again") is True
    assert cache.touch("brief", timeout=None) is True
    assert cache.touch("missing") is False
    cache.clear()
    assert cache.get("brief") is None and cache.bytes_held == 0


def test_a_value_read_back_is_a_copy_that_cannot_change_the_stored_one():
    cache = bounded(100_000)
    cache.set("list", [1, 2])
    cache.get("list").append(3)
    assert cache.get("list") == [1, 2]


def test_threads_share_one_set_of_entries_per_location():
    location = f"test-{uuid.uuid4().hex}"
    params = {"OPTIONS": {"MAX_BYTES": 1_000_000}}
    BoundedMemoryCache(location, params).set("key", "from the first")
    seen = []
    thread = threading.Thread(
        target=lambda: seen.append(BoundedMemoryCache(location, params).get("key"))
    )
    thread.start()
    thread.join()
    assert seen == ["from the first"]


SETTINGS_OF_CACHES = """
import json
from dateline.settings import base
print(json.dumps(base.CACHES))
"""


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/0"])
def test_every_cache_kept_in_process_memory_is_bounded_in_bytes(tmp_path, redis_url):
    env = {
        **os.environ,
        "DATELINE_DATA_DIR": str(tmp_path),
        "REDIS_URL": redis_url,
        "DATELINE_FRAGMENT_CACHE_MEMORY_MB": "3",
        "DATELINE_RENDITION_CACHE_MEMORY_MB": "2",
        "DATELINE_FEED_CACHE_MEMORY_MB": "5",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    shown = subprocess.run(
        [sys.executable, "-c", SETTINGS_OF_CACHES], env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    caches = json.loads(shown.stdout)
    for alias, cache in caches.items():
        assert "locmem" not in cache["BACKEND"], alias
        if cache["BACKEND"].endswith("BoundedMemoryCache"):
            assert cache["OPTIONS"]["MAX_BYTES"] == 2 * 1024 * 1024, alias
    assert caches["template_fragments"]["OPTIONS"]["LOCAL_MAX_BYTES"] == 3 * 1024 * 1024
    assert caches["feeds"]["OPTIONS"]["LOCAL_MAX_BYTES"] == 5 * 1024 * 1024


def test_text_is_kept_as_it_is_and_anything_else_comes_back_as_a_copy():
    cache = bounded(100_000)
    fragment = "<nav>" + "ж" * 1000 + "</nav>"
    cache.set("fragment", fragment)
    assert cache.get("fragment") is fragment
    assert cache.bytes_held >= 2000  # two bytes per "ж", as Python holds it
    cache.set("list", ["a"])
    cache.get("list").append("b")
    assert cache.get("list") == ["a"]


def test_bytes_are_kept_as_they_are_and_counted_by_their_length():
    cache = bounded(1_000_000)
    sitemap = b"<urlset>" + b"<url/>" * 50_000 + b"</urlset>"
    cache.set("sitemap", sitemap)
    assert cache.get("sitemap") is sitemap  # read without a copy of 300 KB
    assert len(sitemap) <= cache.bytes_held < len(sitemap) + 1_000
    cache.set("sitemap", b"short")
    assert cache.get("sitemap") == b"short"
    assert cache.bytes_held < 1_000
