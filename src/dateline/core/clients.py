"""Who is asking: the client's address behind the proxies that the site trusts."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=1)
def trusted_proxies() -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(
        ipaddress.ip_network(entry, strict=False) for entry in settings.DATELINE_TRUSTED_PROXIES
    )


def is_trusted_proxy(address: str) -> bool:
    """Whether forwarding headers (X-Forwarded-For, -Proto) from `address` are believed."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted_proxies())


def client_ip(source: HttpRequest | Mapping[str, str]) -> str:
    """The reader's address from a request (or a WSGI environ): X-Forwarded-For is
    believed only from a trusted proxy, and then read from the right, skipping the
    proxies' own addresses."""
    meta = getattr(source, "META", source)
    remote = meta.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if not is_trusted_proxy(address):
            return address
    return remote
