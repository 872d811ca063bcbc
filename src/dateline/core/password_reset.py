"""The newsroom's password reset, throttled: each request may send a mail to anyone's
inbox, so one address and one account may ask only so often.

Over a limit the form answers exactly as when it sent the mail (the same "check your
inbox" page), so the answer never tells whether an account exists or was asked for too
often; nothing is sent, and a warning is logged. The account is counted by the e-mail
address typed, known or not, so an unknown address costs the same as a real one. The
mail is still sent within the request; it will move to the background task queue with
the other outgoing mail."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.http import HttpRequest
from wagtail.admin.forms.auth import PasswordResetForm

from dateline.core.clients import client_ip, client_network
from dateline.core.ratelimit import RateLimited, check_shared

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def reset_refusal(request: HttpRequest | None, email: str) -> str | None:
    """Count a reset request against its address, then its account; the reason it may
    not send a mail, or None if it may."""
    address = client_network(client_ip(request)) if request is not None else ""
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    try:
        check_shared(
            f"password-reset:address:{address}",
            settings.DATELINE_PASSWORD_RESET_PER_ADDRESS,
            WINDOW_SECONDS,
        )
    except RateLimited:
        return f"more than {settings.DATELINE_PASSWORD_RESET_PER_ADDRESS} an hour from {address}"
    try:
        check_shared(
            f"password-reset:account:{account}",
            settings.DATELINE_PASSWORD_RESET_PER_ACCOUNT,
            WINDOW_SECONDS,
        )
    except RateLimited:
        return (
            f"more than {settings.DATELINE_PASSWORD_RESET_PER_ACCOUNT} an hour for account"
            f" #{account[:8]} (last from {address})"
        )
    return None


class ThrottledPasswordResetForm(PasswordResetForm):
    def save(self, *args, request: HttpRequest | None = None, **kwargs) -> None:
        refusal = reset_refusal(request, self.cleaned_data["email"])
        if refusal is not None:
            logger.warning("password reset mail not sent: %s", refusal)
            return
        super().save(*args, request=request, **kwargs)
