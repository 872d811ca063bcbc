"""The newsroom's password reset, throttled: each request may send a mail to anyone's
inbox, so one address and one account may ask only so often.

Over a limit the form answers exactly as when it sent the mail (the same "check your
inbox" page), so the answer never tells whether an account exists or was asked for too
often; nothing is sent, and a warning is logged. The account is counted by the e-mail
address typed, known or not, so an unknown address costs the same as a real one.

The mail leaves the request: the request queues `send_password_reset_mail` with the
address typed and the site's address, and the worker looks the accounts up and makes the
link. The reset token is made only in the worker, so the queue never holds a working
link, and a slow or failing mail server neither slows the form nor tells anyone anything."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language
from django_tasks import task
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
    def save(
        self,
        domain_override: str | None = None,
        subject_template_name: str = "registration/password_reset_subject.txt",
        email_template_name: str = "registration/password_reset_email.html",
        use_https: bool = False,
        token_generator=None,
        from_email: str | None = None,
        request: HttpRequest | None = None,
        html_email_template_name: str | None = None,
        extra_email_context: dict | None = None,
    ) -> None:
        email = self.cleaned_data["email"]
        refusal = reset_refusal(request, email)
        if refusal is not None:
            logger.warning("password reset mail not sent: %s", refusal)
            return
        site = get_current_site(request)
        send_password_reset_mail.enqueue(
            email,
            domain=domain_override or site.domain,
            site_name=domain_override or site.name,
            use_https=use_https,
            language=get_language() or settings.LANGUAGE_CODE,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
            html_email_template_name=html_email_template_name,
            from_email=from_email,
        )


@task()
def send_password_reset_mail(
    email: str,
    *,
    domain: str,
    site_name: str,
    use_https: bool,
    language: str,
    subject_template_name: str,
    email_template_name: str,
    html_email_template_name: str | None = None,
    from_email: str | None = None,
) -> None:
    """Mail a reset link to each active account with this address (none: nothing sent,
    as in the request). Run again after a failure, it sends a fresh link."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
            html_email_template_name=html_email_template_name,
            from_email=from_email,
            extra_email_context={"site_name": site_name},
        )
