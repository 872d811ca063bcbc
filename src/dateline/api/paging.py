"""Cursor pagination: an opaque token that names where the previous page ended, so a
page never repeats or skips an item when stories are published in between."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from urllib.parse import urlencode

from django.http import HttpRequest

from .errors import bad_parameter


def encode(kind: str, **position) -> str:
    data = json.dumps({"k": kind, **position}, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode(cursor: str | None, kind: str) -> dict | None:
    """The position in a cursor made by encode(kind, …); a 400 for anything else."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        data = None
    if not isinstance(data, dict) or data.get("k") != kind:
        raise bad_parameter(
            "cursor", "The cursor is not one this listing gave out; start again without it."
        )
    return data


def time_position(data: dict | None, cursor_kind: str) -> tuple[datetime, int] | None:
    """(time, id) from a cursor; a 400 when they are malformed."""
    if data is None:
        return None
    try:
        moment = datetime.fromisoformat(str(data["t"]))
        pk = int(data["i"])
    except (KeyError, TypeError, ValueError):
        raise bad_parameter("cursor", "The cursor is damaged; start again without it.") from None
    if moment.tzinfo is None or not 0 < pk < 2**63:
        raise bad_parameter("cursor", "The cursor is damaged; start again without it.")
    return moment, pk


def next_link(request: HttpRequest, cursor: str) -> str:
    """The same request with the next cursor: a path, so it holds on any host name."""
    params = [(key, value) for key, value in request.GET.lists() if key != "cursor"]
    flat = [(key, item) for key, values in params for item in values]
    return request.path + "?" + urlencode([*flat, ("cursor", cursor)])
