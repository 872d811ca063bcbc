"""Fragments are kept in each process in front of the shared cache; the copies never
outlive the content they show."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import cache, caches

from dateline.core import generations
from dateline.core.fragment_cache import ProcessFirstCache
from dateline.news.models import ArticlePage

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def fragment_cache(local_seconds: float = 30) -> ProcessFirstCache:
    return ProcessFirstCache("default", {"OPTIONS": {"LOCAL_SECONDS": local_seconds}})


def test_the_site_reads_its_fragments_through_a_copy_in_each_process():
    assert isinstance(caches["template_fragments"], ProcessFirstCache)


def test_a_fragment_is_read_from_this_process_once_it_has_been_seen():
    fragments_here = fragment_cache()
    fragments_here.set("fragment:a", "<nav>one</nav>", 300)
    cache.delete("fragment:a")  # the shared copy is gone; this process still has its own
    assert fragments_here.get("fragment:a") == "<nav>one</nav>"


def test_a_fragment_another_process_rendered_is_found_in_the_shared_cache():
    cache.set("fragment:b", "<nav>theirs</nav>", 300)
    fragments_here = fragment_cache()
    assert fragments_here.get("fragment:b") == "<nav>theirs</nav>"
    cache.delete("fragment:b")
    assert fragments_here.get("fragment:b") == "<nav>theirs</nav>"
    assert fragments_here.get("fragment:none", "default") == "default"


def test_a_copy_lasts_no_longer_than_its_own_timeout_nor_the_local_limit():
    fragments_here = fragment_cache(local_seconds=0.2)
    fragments_here.set("fragment:c", "most read, older", 300)
    cache.set("fragment:c", "most read, newer", 300)
    assert fragments_here.get("fragment:c") == "most read, older"
    time.sleep(0.3)
    assert fragments_here.get("fragment:c") == "most read, newer"

    short = fragment_cache(local_seconds=30)
    short.set("fragment:d", "for a moment", 0.1)
    time.sleep(0.2)
    assert short.get("fragment:d") is None


def test_add_keeps_what_another_process_stored_first():
    cache.set("fragment:e", "first", 300)
    fragments_here = fragment_cache()
    assert fragments_here.add("fragment:e", "second", 300) is False
    assert fragments_here.get("fragment:e") == "first"
    fragments_here.delete("fragment:e")
    assert fragments_here.get("fragment:e") is None


def test_a_change_made_in_another_process_shows_here_at_once(client, home, article):
    before = BeautifulSoup(client.get(home.url).content.decode(), "html.parser")
    assert article.title in before.get_text()

    # Another process renames the story: the row changes without this process's
    # receivers, and that process retires the fragments in the shared cache.
    ArticlePage.objects.filter(pk=article.pk).update(title="Renamed by another process")

    unchanged = BeautifulSoup(client.get(home.url).content.decode(), "html.parser")
    assert "Renamed by another process" not in unchanged.get_text()
    another_process_retires_fragments()
    after = BeautifulSoup(client.get(home.url).content.decode(), "html.parser")
    assert "Renamed by another process" in after.get_text()


def another_process_retires_fragments() -> None:
    """What `retire_fragments` in another process does: move the shared numbers on
    through a view of them of its own."""
    if settings.REDIS_URL:
        other = generations.RedisCounters(
            generations.redis_client(), settings.DATELINE_CACHE_PREFIX, poll_seconds=0
        )
    else:
        other = generations.FileCounters(Path(settings.DATA_DIR) / "generations")
    other.advance((generations.CONTENT, generations.STRUCTURE))
