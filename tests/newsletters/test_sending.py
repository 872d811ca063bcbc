"""Sending an edition through a real SMTP server on loopback: every confirmed subscriber
gets it once, with one-click unsubscribe headers and both parts; a send survives the
server dropping the connection, refusing an address, being away, and a crash."""

from __future__ import annotations

import socket
from collections import Counter

import pytest
from django.utils import timezone

from dateline.newsletters import digests, sending
from dateline.newsletters.models import Delivery, Edition, Subscriber
from dateline.newsletters.tasks import request_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(newsletters, article):
    return Edition.objects.create(
        newsletter=newsletters[("en", "digest")],
        subject="Today's news",
        note="Good morning.",
        stories=[{"id": article.pk, "part": "lead"}],
    )


def test_every_confirmed_subscriber_gets_one_copy_with_unsubscribe_headers(
    mail_server, subscribers, edition, locale, article
):
    readers = subscribers(25)
    Subscriber.objects.create(email="unconfirmed@example.org", locale=locale("en"))
    report = sending.send_edition(edition.pk, "test")
    assert report.finished and report.sent == 25
    assert sorted(mail_server.recipients()) == sorted(reader.email for reader in readers)

    message = mail_server.messages[0]
    assert message["Subject"] == "Today's news"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe.startswith("http") and "/en/newsletters/unsubscribe/" in unsubscribe
    assert message["Message-ID"].startswith(f"<edition-{edition.pk}.")
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert article.title in html and article.title in text
    assert "Good morning." in html and "Good morning." in text
    assert "utm_source=newsletter" in html and "utm_campaign=daily" in html
    assert unsubscribe.replace("&", "&amp;") in html or unsubscribe in html
    assert 'name="color-scheme"' in html

    edition.refresh_from_db()
    assert edition.state == Edition.SENT
    assert sending.numbers(edition)["sent"] == 25
    # Sending again sends nothing more.
    assert sending.send_edition(edition.pk, "test").sent == 0
    assert len(mail_server.messages) == 25


def test_a_dropped_connection_mid_batch_loses_and_doubles_no_one(mail_server, subscribers, edition):
    readers = subscribers(30)
    mail_server.drop_at = 11
    report = sending.send_edition(edition.pk, "test")
    assert report.finished and report.sent == 30
    counts = Counter(mail_server.recipients())
    assert set(counts) == {reader.email for reader in readers}
    assert max(counts.values()) == 1


def test_a_refused_address_fails_alone_and_is_not_tried_again(mail_server, subscribers, edition):
    readers = subscribers(5)
    mail_server.refuse = {readers[2].email}
    report = sending.send_edition(edition.pk, "test")
    assert report.sent == 4 and report.failed == 1
    failed = Delivery.objects.get(edition=edition, subscriber=readers[2])
    assert failed.state == Delivery.FAILED and failed.error.startswith("550")
    edition.refresh_from_db()
    edition.state = Edition.SENDING
    edition.save()
    assert sending.send_edition(edition.pk, "test").sent == 0
    assert readers[2].email not in mail_server.recipients()


def test_a_server_that_is_away_or_busy_stops_the_send_until_later(
    mail_server, subscribers, edition, settings
):
    readers = subscribers(6)
    mail_server.busy = True
    with pytest.raises(sending.MailServerUnavailable):
        sending.send_edition(edition.pk, "test")
    assert not Delivery.objects.filter(state=Delivery.SENT).exists()

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    settings.EMAIL_PORT = closed.getsockname()[1]  # nothing listens there
    closed.close()
    with pytest.raises(sending.MailServerUnavailable):
        sending.send_edition(edition.pk, "test")

    settings.EMAIL_PORT = mail_server.port
    mail_server.busy = False
    assert sending.send_edition(edition.pk, "test").finished
    assert sorted(mail_server.recipients()) == sorted(reader.email for reader in readers)


def test_a_send_cut_short_resumes_where_it_stopped(mail_server, subscribers, edition):
    readers = subscribers(12)
    first = sending.send_edition(edition.pk, "worker-a", limit=5)
    assert first.sent == 5 and not first.finished
    # A worker died with one message in flight: its delivery says "sending".
    Delivery.objects.create(
        edition=edition, subscriber=readers[9], state=Delivery.SENDING, attempts=1
    )
    rest = sending.send_edition(edition.pk, "worker-b")
    assert rest.finished and rest.sent == 7
    counts = Counter(mail_server.recipients())
    assert set(counts) == {reader.email for reader in readers} and max(counts.values()) == 1


def test_one_worker_at_a_time_sends_an_edition(mail_server, subscribers, edition):
    subscribers(3)
    from datetime import timedelta

    from dateline.core.leases import acquire_lease

    assert acquire_lease(f"newsletter-edition-{edition.pk}", "other-worker", timedelta(minutes=2))
    assert sending.send_edition(edition.pk, "me").busy
    assert mail_server.messages == []


def test_a_story_taken_down_before_the_send_is_not_mailed(
    mail_server, subscribers, newsletters, world
):
    from dateline.news import services
    from tests.factories import story

    subscribers(1)
    kept, pulled = story(world, "kept-story"), story(world, "pulled-story")
    edition = Edition.objects.create(
        newsletter=newsletters[("en", "digest")],
        subject="Two stories",
        stories=[{"id": kept.pk, "part": "lead"}, {"id": pulled.pk, "part": "section"}],
    )
    services.unpublish(pulled)
    sending.send_edition(edition.pk, "test")
    html = mail_server.messages[0].get_body(("html",)).get_content()
    assert kept.title in html and pulled.title not in html


def test_marking_a_story_breaking_mails_the_breaking_list_once(
    mail_server, subscribers, newsletters, article, editor, django_capture_on_commit_callbacks
):
    from dateline.news import breaking

    readers = subscribers(3, kind="breaking", prefix="alert")
    subscribers(2, prefix="digest-only")
    with django_capture_on_commit_callbacks(execute=True):
        breaking.mark_breaking(
            article, label="", expires_at=timezone.now() + timezone.timedelta(hours=1), user=editor
        )
    assert sorted(mail_server.recipients()) == sorted(reader.email for reader in readers)
    assert mail_server.messages[0]["Subject"] == article.title
    alert = Edition.objects.get(story=article)
    # A second marking of the same story sends nothing new.
    assert digests.build_breaking_alert(article) is None
    assert not request_send(alert)


def test_the_worker_resumes_a_send_that_a_dead_worker_left(mail_server, subscribers, edition):
    from dateline.newsletters.tasks import send_due_newsletters

    readers = subscribers(4)
    sending.send_edition(edition.pk, "died", limit=1)
    Edition.objects.filter(pk=edition.pk).update(
        send_requested_at=timezone.now() - timezone.timedelta(minutes=30)
    )
    # Its lease let go long ago; a send requested a moment ago is left to its own worker.
    from dateline.core.models import WorkerLease

    WorkerLease.objects.filter(name=f"newsletter-edition-{edition.pk}").update(
        expires_at=timezone.now() - timezone.timedelta(minutes=10)
    )
    assert send_due_newsletters.call() >= 1
    counts = Counter(mail_server.recipients())
    assert set(counts) == {reader.email for reader in readers} and max(counts.values()) == 1
