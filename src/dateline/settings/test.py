"""Fast settings for the test suite. DATABASE_URL / REDIS_URL still switch engines."""

import os
import tempfile
from pathlib import Path

# The suite must never write into a developer's data folder.
os.environ.setdefault("DATELINE_DATA_DIR", tempfile.mkdtemp(prefix="dateline-test-data-"))
os.environ.setdefault("DATELINE_SECRET_KEY", "test-only-secret-key-not-for-production")
# A prefix of its own, so a run never reads another run's keys in a shared Redis.
os.environ.setdefault("DATELINE_LOG_FORMAT", "text")
os.environ.setdefault("DATELINE_CACHE_PREFIX", f"dateline-test-{os.getpid()}")

from .base import *  # noqa: F403
from .base import REDIS_URL, TEMPLATE_FRAGMENT_CACHE

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
    }
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="dateline-test-static-"))

# Tests that need the limit lower set it themselves.
DATELINE_BEACON_RATE_LIMIT = 100_000
DATELINE_API_RATE_LIMIT = 100_000
