"""Secrets kept in the database (a social network's access token) are sealed with a key
derived from the site's SECRET_KEY: a copy of the database alone does not give them away.

Fernet (AES in CBC mode with an HMAC) from `cryptography`. The keys in
SECRET_KEY_FALLBACKS still open what they sealed, so the secret key can be rotated; a
secret sealed under a key that is gone cannot be opened and must be entered again."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PURPOSE = b"dateline sealed secrets v1:"


class CannotUnseal(ValueError):
    """The secret was sealed under a key that this site no longer has."""


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(PURPOSE + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key) for key in keys])


def seal(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _keys().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise CannotUnseal("sealed under another secret key") from None


def hint(secret: str) -> str:
    """What may be shown of a secret: its last four characters."""
    return "…" + secret[-4:] if len(secret) >= 12 else "…"
