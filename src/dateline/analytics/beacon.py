"""The view beacon's rules, shared by the API view and the fast path in front of Django."""

from __future__ import annotations

import json
from collections.abc import Callable

from dateline.core.clients import client_ip
from dateline.core.ratelimit import RateLimited

from .services import is_countable, record_view

MAX_BEACON_BYTES = 1024


class BeaconRefused(Exception):
    def __init__(self, status: int, title: str, detail: str, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail
        self.headers = headers or {}


def count_beacon(
    article_id: int,
    *,
    meta: dict,
    read_body: Callable[[int], bytes],
    is_staff_reader: bool = False,
) -> dict:
    """Validate a beacon (a small JSON object) and count it; raises BeaconRefused."""
    declared = meta.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > MAX_BEACON_BYTES:
        raise BeaconRefused(
            413, "Payload too large", f"A beacon is at most {MAX_BEACON_BYTES} bytes."
        )
    content_type = meta.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    if content_type != "application/json":
        raise BeaconRefused(415, "Unsupported media type", "Send the beacon as application/json.")
    body = read_body(int(declared))
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise BeaconRefused(400, "Malformed body", "The body is not valid JSON.") from error
    if not isinstance(payload, dict):
        raise BeaconRefused(400, "Malformed body", "The body must be a JSON object.")
    if not is_countable(article_id):
        raise BeaconRefused(404, "Not found", "There is no published article with this id.")
    try:
        result = record_view(
            article_id,
            ip=client_ip(meta),
            user_agent=meta.get("HTTP_USER_AGENT", ""),
            is_staff_reader=is_staff_reader,
        )
    except RateLimited as limited:
        raise BeaconRefused(
            429,
            "Too many requests",
            f"Try again in {limited.retry_after} seconds.",
            headers={"Retry-After": str(limited.retry_after)},
        ) from limited
    return {"article": article_id, "views": result.views, "counted": result.counted}
