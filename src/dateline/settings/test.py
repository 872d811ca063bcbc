"""Fast settings for the test suite. DATABASE_URL / REDIS_URL still switch engines.

Each test process owns its data folder, cache prefix and Redis database: the suite runs in
parallel (pytest-xdist), and a worker inherits the environment of the process that started
it, so these are set here for every process rather than taken from the environment."""

import os
import re
import tempfile
from pathlib import Path

# xdist names its workers gw0, gw1, …; a run without xdist is worker 0.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)

# The suite must never write into a developer's data folder.
os.environ["DATELINE_DATA_DIR"] = tempfile.mkdtemp(prefix=f"dateline-test-data-{WORKER}-")
os.environ.setdefault("DATELINE_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DATELINE_LOG_FORMAT", "text")
# A prefix of its own, so a run never reads another run's keys in a shared Redis.
os.environ["DATELINE_CACHE_PREFIX"] = f"dateline-test-{os.getpid()}"
if os.environ.get("REDIS_URL") and "PYTEST_XDIST_WORKER" in os.environ:
    # Some tests empty the whole cache (FLUSHDB): each worker gets a database of its own,
    # 1, 2, …, leaving 0 to the live sites that tests start and 15 to the counter tests.
    os.environ["REDIS_URL"] = re.sub(
        r"(redis://[^/]+)(/\d*)?$", rf"\1/{1 + WORKER % 14}", os.environ["REDIS_URL"]
    )

from .base import *  # noqa: E402, F403
from .base import (  # noqa: E402
    DATELINE_PUSH_SERVICES,
    FEED_CACHE,
    REDIS_URL,
    TEMPLATE_FRAGMENT_CACHE,
)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TEST_MEDIA = Path(tempfile.mkdtemp(prefix="dateline-test-media-"))
MEDIA_ROOT = TEST_MEDIA
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "template_fragments": TEMPLATE_FRAGMENT_CACHE,
        "feeds": FEED_CACHE,
    }
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="dateline-test-static-"))

# Tests that need the limit lower set it themselves.
DATELINE_BEACON_RATE_LIMIT = 100_000
DATELINE_API_RATE_LIMIT = 100_000
# A change made through another process's view of the generations shows at once.
DATELINE_PAGE_CACHE_POLL_SECONDS = 0.0
# Tasks run at once, inside the test, so that nothing else waits on a worker; tests whose
# subject is the queue switch TASKS to a real backend themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The ingest tests' wire services listen on loopback.
DATELINE_INGEST_PRIVATE_NETWORKS = ["127.0.0.0/8", "::1/128"]
# The push tests' fake push service listens on loopback.
DATELINE_PUSH_SERVICES = [*DATELINE_PUSH_SERVICES, "127.0.0.1"]
