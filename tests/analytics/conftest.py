import os
import uuid

import pytest
import redis

from dateline.analytics import counting, readers, services


@pytest.fixture(autouse=True)
def forget_process_state():
    readers._salts.clear()
    services._countable.clear()
    yield
    readers._salts.clear()
    services._countable.clear()


@pytest.fixture
def redis_client(settings):
    """The machine's Redis, with keys of this test only; every key is removed afterwards."""
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not answering at {url}")
        pytest.skip(f"Redis is not answering at {url}")
    settings.DATELINE_CACHE_PREFIX = f"dateline-test-{uuid.uuid4().hex[:8]}"
    yield client
    for key in client.scan_iter(f"{settings.DATELINE_CACHE_PREFIX}:*"):
        client.delete(key)


@pytest.fixture
def redis_store(redis_client):
    return counting.RedisStore(redis_client)


BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
