"""Telling readers apart without cookies or stored IP addresses, and bots from readers."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from crawlerdetect import CrawlerDetect
from django.db import IntegrityError

from .models import DailySalt

_salts: dict[date, str] = {}
_crawlers = CrawlerDetect()


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


def address_fingerprint(network: str, article_id: int, day: date) -> str:
    """One client network (core.clients.client_network) reading one article on a day."""
    message = f"{network}\n{article_id}\naddress".encode()
    return hmac.new(daily_salt(day).encode(), message, hashlib.sha256).hexdigest()[:40]


def forget_past_days(today: date) -> None:
    """Salts, reader marks and address tallies live only for their day."""
    from .models import AddressViews, ReaderMark

    DailySalt.objects.filter(day__lt=today).delete()
    ReaderMark.objects.filter(day__lt=today).delete()
    AddressViews.objects.filter(day__lt=today).delete()
    for day in [day for day in _salts if day < today]:
        del _salts[day]
