"""A real SMTP server on loopback (aiosmtpd) that records every message it takes and can
misbehave: refuse a recipient for good (550), answer "try later" (421), or drop the
connection in the middle of a batch."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from dateline.newsletters import services
from dateline.newsletters.models import NewsletterList, Subscriber, Subscription


@dataclass
class MailServer:
    port: int
    messages: list[email.message.EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_at: int | None = None  # drop the connection instead of taking message number N
    busy: bool = False  # answer 421 to every message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.busy:
            return "421 4.3.2 Too busy, try again later"
        if self.drop_at is not None and len(self.messages) + 1 == self.drop_at:
            self.drop_at = None
            server.transport.close()
            return "421 closing"
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return [str(message["To"]) for message in self.messages]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    server = MailServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    settings.DATELINE_NEWSLETTER_RATE = 0
    yield server
    controller.stop()


@pytest.fixture
def newsletters(db):
    """The daily digest and breaking lists of every language, as setup makes them."""
    services.ensure_default_lists()
    return {
        (newsletter.locale.language_code, newsletter.kind): newsletter
        for newsletter in NewsletterList.objects.select_related("locale")
    }


@pytest.fixture
def subscribers(newsletters, locale):
    def make(count: int, code: str = "en", kind: str = NewsletterList.DIGEST, prefix="reader"):
        made = []
        for number in range(count):
            subscriber = Subscriber.objects.create(
                email=f"{prefix}{number}@example.org",
                locale=locale(code),
                confirmed_at="2026-01-01T00:00Z",
            )
            Subscription.objects.create(subscriber=subscriber, newsletter=newsletters[(code, kind)])
            made.append(subscriber)
        return made

    return make
