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


def client_network(address: str) -> str:
    """The part of an address that one subscriber holds: an IPv4 address itself, or the
    /64 prefix of an IPv6 address (a home or phone is given a whole /64, so the last 64
    bits cost a script nothing to change). Anything unparsable is returned as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
