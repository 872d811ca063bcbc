"""Limits shared by every process, counted in the cache: what a client is called (an
e-mail address as typed, an address range) never becomes a cache key as it is."""

from __future__ import annotations

import warnings

import pytest
from django.core.cache import CacheKeyWarning

from dateline.core.ratelimit import RateLimited, check_shared


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_a_client_named_by_an_address_as_typed_is_limited_without_a_key_warning():
    client = "newsletter-signup-email:  Анна Smith <anna@example.org>\t" + "x" * 300
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        check_shared(client, 2, 3600)
        check_shared(client, 2, 3600)
        with pytest.raises(RateLimited) as limited:
            check_shared(client, 2, 3600)
    assert 0 < limited.value.retry_after <= 3600


def test_clients_are_counted_apart():
    check_shared("newsletter-signup-email:a@example.org", 1, 60)
    check_shared("newsletter-signup-email:b@example.org", 1, 60)
    with pytest.raises(RateLimited):
        check_shared("newsletter-signup-email:a@example.org", 1, 60)
