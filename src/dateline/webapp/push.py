"""Web push to readers' browsers: the site's VAPID keys, the alert's payload, and one
push to one subscription (RFC 8030 with the payload encrypted per RFC 8291, by
pywebpush, the library the Web Push protocol's own Python examples use).

The keys come from DATELINE_VAPID_PRIVATE_KEY when set (every server must share them),
else from `vapid_private_key.pem` in the data folder, made on first use (setup makes it).
A push service's answer decides what happens to the subscription: 201 sent; 404 or 410
the browser dropped it (deleted here); 429 or 5xx try again later; any other 4xx is a
failure of this push only."""

from __future__ import annotations

import base64
import functools
import os
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid

SENT = "sent"
GONE = "gone"
RETRY = "retry"
FAILED = "failed"
# A VAPID signature holds for up to 24 h; one per push service for 12 h saves signing
# each of a hundred thousand pushes.
SIGNATURE_HOURS = 12


class PushNotConfigured(Exception):
    pass


def _key_file() -> Path:
    return Path(settings.DATA_DIR) / "vapid_private_key.pem"


@functools.cache
def _vapid_from(pem: str) -> Vapid:
    return Vapid.from_pem(pem.encode())


def vapid() -> Vapid:
    """The site's VAPID key pair, made and kept in the data folder on first use."""
    configured = settings.DATELINE_VAPID_PRIVATE_KEY.strip()
    if configured:
        if "BEGIN" in configured:
            return _vapid_from(configured.replace("\\n", "\n"))
        return Vapid.from_string(configured)
    key_file = _key_file()
    if not key_file.exists():
        ensure_keys()
    return _vapid_from(key_file.read_text())


def ensure_keys() -> Path | None:
    """Make the data folder's key pair unless one exists or the environment gives one."""
    if settings.DATELINE_VAPID_PRIVATE_KEY.strip():
        return None
    key_file = _key_file()
    if key_file.exists():
        return key_file
    key_file.parent.mkdir(parents=True, exist_ok=True)
    pair = Vapid()
    pair.generate_keys()
    pem = pair.private_pem()
    # Written whole under another name and then renamed: two processes starting at once
    # never read half a key, and the first one's key stays.
    partial = key_file.with_name(f".{key_file.name}.{os.getpid()}")
    partial.write_bytes(pem)
    partial.chmod(0o600)
    try:
        os.link(partial, key_file)
    except FileExistsError:
        pass
    finally:
        partial.unlink(missing_ok=True)
    return key_file


def application_server_key() -> str:
    """The public key browsers subscribe with (base64url of the uncompressed point)."""
    public = vapid().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(public).rstrip(b"=").decode()


def subject() -> str:
    configured = settings.DATELINE_VAPID_SUBJECT
    if configured:
        return configured
    return f"mailto:{settings.DEFAULT_FROM_EMAIL}"


@dataclass
class Signatures:
    """VAPID headers per push service (audience), each made once and kept for hours."""

    headers: dict[str, tuple[float, dict]]

    def for_endpoint(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        made = self.headers.get(audience)
        now = time.time()
        if made is None or made[0] < now:
            expires = int(now) + SIGNATURE_HOURS * 3600
            signed = vapid().sign({"aud": audience, "exp": expires, "sub": subject()})
            made = (expires - 3600, signed)
            self.headers[audience] = made
        return dict(made[1])


def new_signatures() -> Signatures:
    return Signatures(headers={})


def send(
    session: requests.Session,
    signatures: Signatures,
    subscription_info: dict,
    payload: bytes,
    *,
    ttl: int,
    urgency: str,
    topic: str,
) -> str:
    """Push `payload` to one subscription; one of SENT, GONE, RETRY or FAILED."""
    # Imported here: it brings an HTTP client stack (aiohttp) that only sending needs,
    # which every process would otherwise carry from start.
    from pywebpush import WebPusher

    headers = signatures.for_endpoint(subscription_info["endpoint"])
    headers["Urgency"] = urgency
    headers["Topic"] = topic
    try:
        response = WebPusher(subscription_info, requests_session=session).send(
            payload,
            headers=headers,
            ttl=ttl,
            timeout=settings.DATELINE_PUSH_TIMEOUT,
        )
    except requests.RequestException:
        return RETRY
    except (ValueError, TypeError):
        return GONE  # keys that cannot encrypt anything: the subscription is no use
    status = response.status_code
    if status in (200, 201, 202):
        return SENT
    if status in (404, 410):
        return GONE
    if status == 429 or status >= 500:
        return RETRY
    return FAILED
