"""Newsletters: a digest to 100,000 subscribers through an SMTP server on loopback, on
SQLite (the README's default), sent by one worker process as `dateline worker` runs it:
time, e-mails a second, the worker's peak memory; then the same send with the worker
killed halfway and a new one carrying on, counting what the server received twice or
never.

The server (aiosmtpd, in a process of its own) writes each recipient it accepted to a
file. Baseline: the same number of ready-made messages pushed through smtplib over one
connection, with no database and no rendering, so the ratio shows what recording each
delivery and writing each reader's own links costs.

Sent unthrottled (DATELINE_NEWSLETTER_RATE=0): at the default 20 e-mails a second, a
100,000-address send takes 83 minutes by design, to stay within what mail servers
accept; the row says so."""

from __future__ import annotations

import os
import resource
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

from common import write_section

SUBSCRIBERS = int(os.environ.get("BENCH_NEWSLETTER_SUBSCRIBERS", "100000"))
BENCH_DIR = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_smtp(port: int, record: str) -> None:
    """Run in a child process: accept everything, append each recipient to `record`."""
    from aiosmtpd.controller import Controller

    out = open(record, "a", buffering=1)  # noqa: SIM115 - kept open while serving

    class Recorder:
        async def handle_DATA(self, server, session, envelope):
            for address in envelope.rcpt_tos:
                out.write(address + "\n")
            return "250 OK"

    # Blocked before the server's thread starts, so that only sigwait below receives it.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM})
    controller.stop()


class SmtpServer:
    def __init__(self, folder: str) -> None:
        self.port = free_port()
        self.record = os.path.join(folder, f"received-{self.port}.txt")
        Path(self.record).touch()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--smtp", str(self.port), self.record],
            start_new_session=True,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the SMTP server did not start")

    def received(self) -> Counter:
        return Counter(Path(self.record).read_text().split())

    def count(self) -> int:
        with open(self.record, "rb") as handle:
            return sum(1 for _ in handle)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)


def environment(data_dir: str, port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DATELINE_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="dateline.settings.base",
        DATELINE_LOG_LEVEL="ERROR",
        DATELINE_EMAIL_HOST="127.0.0.1",
        DATELINE_EMAIL_PORT=str(port),
        DATELINE_NEWSLETTER_RATE="0",
    )
    return env


def setup(data_dir: str) -> int:
    """A site with one story and SUBSCRIBERS confirmed readers on the English digest; the
    digest's edition id."""
    os.environ.update(environment(data_dir, 25))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from dateline.news import services as news
    from dateline.newsletters.models import Edition, NewsletterList, Subscriber, Subscription
    from dateline.newsletters.services import ensure_default_lists

    home = news.ensure_site()
    section = news.create_section(home, title="World", slug="world", description="Bench.")
    stories = [
        news.create_article(
            section,
            title=f"Story {n} for the digest",
            slug=f"story-{n}",
            standfirst="A standfirst long enough to read like one, about the harbour.",
            paragraphs=["Text."],
            publish_now=True,
        )
        for n in range(8)
    ]
    ensure_default_lists()
    digest = NewsletterList.objects.get(locale__language_code="en", kind="digest")
    now = timezone.now()
    locale_id = digest.locale_id
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"reader{n}@example.org", locale_id=locale_id, confirmed_at=now)
            for n in range(SUBSCRIBERS)
        ],
        batch_size=5000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber_id=pk, newsletter=digest)
            for pk in Subscriber.objects.values_list("pk", flat=True)
        ],
        batch_size=5000,
    )
    edition = Edition.objects.create(
        newsletter=digest,
        subject="Bench digest",
        stories=[{"id": story.pk, "part": "section"} for story in stories],
    )
    return edition.pk


def send_in_child(data_dir: str, port: int, edition_id: int, holder: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, __file__, "--send", data_dir, str(port), str(edition_id), holder],
        env=environment(data_dir, port),
        stdout=subprocess.PIPE,
        text=True,
    )


def peak_of(child: subprocess.Popen) -> float:
    output = child.stdout.read() if child.stdout else ""
    for part in output.split():
        if part.startswith("peak_mb="):
            return float(part.split("=", 1)[1])
    raise RuntimeError(f"the sending worker said: {output!r}")


def child_send(data_dir: str, edition_id: int, holder: str) -> None:
    import django

    django.setup()
    from dateline.newsletters import sending

    report = sending.send_edition(edition_id, holder)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sent={report.sent} failed={report.failed} peak_mb={peak_mb:.0f}", flush=True)


def baseline(port: int, count: int) -> float:
    """Messages a second through smtplib alone: one connection, no database."""
    message = EmailMessage()
    message["From"] = "news@example.org"
    message["Subject"] = "Bench digest"
    message.set_content("Text. " * 200)
    message.add_alternative("<p>" + "Text. " * 200 + "</p>", subtype="html")
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for n in range(count):
            del message["To"]
            message["To"] = f"baseline{n}@example.org"
            client.send_message(message)
    return count / (time.perf_counter() - started)


def main() -> None:
    folder = tempfile.mkdtemp(prefix="bench-newsletter-")
    data_dir = os.path.join(folder, "data")
    os.makedirs(data_dir)
    edition_id = setup(data_dir)
    from django.db import connection

    connection.close()

    # Whole send, one worker.
    server = SmtpServer(folder)
    base_rate = baseline(server.port, min(SUBSCRIBERS, 20000))
    server.stop()
    server = SmtpServer(folder)
    started = time.perf_counter()
    child = send_in_child(data_dir, server.port, edition_id, "bench-worker")
    child.wait()
    took = time.perf_counter() - started
    peak = peak_of(child)
    received = server.received()
    server.stop()
    whole = {
        "took": took,
        "rate": SUBSCRIBERS / took,
        "peak": peak,
        "missing": SUBSCRIBERS - len(received),
        "twice": sum(1 for count in received.values() if count > 1),
    }

    # The same send again from scratch, the worker killed halfway, a new one carrying on.
    from dateline.core.models import WorkerLease
    from dateline.newsletters.models import Delivery, Edition

    Delivery.objects.all().delete()
    second = Edition.objects.get(pk=edition_id)
    second.pk = None
    second.state = Edition.DRAFT
    second.save()
    connection.close()
    server = SmtpServer(folder)
    started = time.perf_counter()
    child = send_in_child(data_dir, server.port, second.pk, "bench-killed")
    while server.count() < SUBSCRIBERS // 2:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    at_kill = server.count()
    # What the schedule does once the dead worker's lease has run out (two minutes).
    WorkerLease.objects.filter(name=f"newsletter-edition-{second.pk}").update(
        expires_at="2000-01-01T00:00Z"
    )
    connection.close()
    resumed = send_in_child(data_dir, server.port, second.pk, "bench-resumed")
    resumed.wait()
    resume_took = time.perf_counter() - started
    received = server.received()
    server.stop()
    killed = {
        "at_kill": at_kill,
        "missing": SUBSCRIBERS - len(set(received)),
        "twice": sum(1 for count in received.values() if count > 1),
        "took": resume_took,
    }

    rows = [
        "| what | result | baseline | ratio |",
        "|---|---|---|---|",
        f"| digest to {SUBSCRIBERS:,} subscribers, one worker (render each reader's links, "
        "record each delivery before and after, send) "
        f"| {whole['took']:,.0f} s, {whole['rate']:,.0f} e-mails/s | smtplib alone, same "
        f"server: {base_rate:,.0f} e-mails/s | {whole['rate'] / base_rate:.2f} of it |",
        f"| its worker's peak memory (RSS) | {whole['peak']:,.0f} MB | | |",
        f"| received: missing / twice | {whole['missing']} / {whole['twice']} | | |",
        f"| same send, worker killed (SIGKILL) at {killed['at_kill']:,} received, a new worker "
        f"carries on | {killed['took']:,.0f} s in all; missing {killed['missing']}, twice "
        f"{killed['twice']} | | |",
    ]
    body = (
        f"## Newsletters: a digest to {SUBSCRIBERS:,} subscribers (`bench/newsletter_bench.py`)\n\n"
        "SQLite (the default), one worker process, aiosmtpd on loopback in its own process. "
        "**Unthrottled** (`DATELINE_NEWSLETTER_RATE=0`; the default, 20 e-mails/s, is a "
        "limit for real mail servers and would make this "
        f"{SUBSCRIBERS / 20 / 60:,.0f} minutes). A message caught "
        "mid-send when the worker is killed is sent again with the same Message-ID, so "
        "'twice' may be 1 after a kill; receiving servers take it as one message.\n\n"
        + "\n".join(rows)
    )
    write_section("newsletters", body)
    print(body)


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH_DIR))
    if len(sys.argv) > 1 and sys.argv[1] == "--smtp":
        serve_smtp(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--send":
        child_send(sys.argv[2], int(sys.argv[4]), sys.argv[5])
    else:
        main()
