from __future__ import annotations

import pytest
from django.core.cache import cache, caches


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test sees feeds built from its own data, not another test's cached copy."""
    cache.clear()
    caches["feeds"].clear()  # this process's copies
    yield
    cache.clear()
    caches["feeds"].clear()
