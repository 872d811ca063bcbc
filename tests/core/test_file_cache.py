"""Embedded mode's file cache: values kept across processes, its folder held near
MAX_ENTRIES, and the folder not listed on every write."""

from __future__ import annotations

from pathlib import Path

from dateline.core.file_cache import FileCache


def cache_in(folder: Path, max_entries: int) -> FileCache:
    return FileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": max_entries}})


def entries(folder: Path) -> int:
    return len(list(folder.glob("*.djcache")))


def test_values_written_by_one_process_are_read_by_another(tmp_path):
    cache_in(tmp_path, 100).set("headline", {"en": "Floods"}, 60)
    assert cache_in(tmp_path, 100).get("headline") == {"en": "Floods"}


def test_a_full_folder_is_culled_and_stays_near_its_limit(tmp_path):
    writers = [cache_in(tmp_path, 50) for _ in range(3)]
    for n in range(600):
        writers[n % 3].set(f"key-{n}", n, 600)
    assert 0 < entries(tmp_path) <= 50
    assert writers[0].get("key-599") == 599  # the newest write is never culled before it is made


def test_the_folder_is_listed_only_now_and_then(tmp_path, monkeypatch):
    cache = cache_in(tmp_path, 20_000)
    listings = []
    listed = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or listed())
    for n in range(500):
        cache.set(f"key-{n}", n, 600)
    assert entries(tmp_path) == 500
    assert len(listings) == 1


def test_a_folder_with_no_room_is_listed_on_every_write(tmp_path, monkeypatch):
    cache = cache_in(tmp_path, 10)
    for n in range(10):
        cache.set(f"key-{n}", n, 600)
    listings = []
    listed = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or listed())
    for n in range(5):
        cache.set(f"more-{n}", n, 600)
    assert len(listings) == 5
    assert entries(tmp_path) <= 10
