"""Telling readers apart without cookies or stored IP addresses, and bots from readers."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Mapping
from datetime import date
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest

from .models import DailySalt

_salts: dict[date, str] = {}
_crawlers = CrawlerDetect()


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


def is_bot(user_agent: str) -> bool:
    """Crawlers, monitors and HTTP libraries, from CrawlerDetect's maintained list."""
    if not user_agent.strip():
        return True
    return _crawlers.is_crawler(user_agent[:1000])


def daily_salt(day: date) -> str:
    """Today's salt, the same in every process; made on first use."""
    salt = _salts.get(day)
    if salt is None:
        try:
            salt = DailySalt.objects.get_or_create(
                day=day, defaults={"salt": secrets.token_hex(32)}
            )[0].salt
        except IntegrityError:  # another process made it first
            salt = DailySalt.objects.get(day=day).salt
        _salts.clear()
        _salts[day] = salt
    return salt


def reader_fingerprint(ip: str, user_agent: str, article_id: int, day: date) -> str:
    message = f"{ip}\n{user_agent}\n{article_id}".encode()
    return hmac.new(daily_salt(day).encode(), message, hashlib.sha256).hexdigest()[:40]


def forget_past_days(today: date) -> None:
    """Salts and reader marks live only for their day."""
    from .models import ReaderMark

    DailySalt.objects.filter(day__lt=today).delete()
    ReaderMark.objects.filter(day__lt=today).delete()
    for day in [day for day in _salts if day < today]:
        del _salts[day]
