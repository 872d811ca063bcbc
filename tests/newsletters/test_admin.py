"""Newsletters in the admin: editions with their numbers, preview and sending; lists;
subscribers searched, exported and removed but never added by hand; the outbox of the
embedded mode."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from dateline.newsletters import sending
from dateline.newsletters.models import Edition, Subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(newsletters, article):
    return Edition.objects.create(
        newsletter=newsletters[("en", "digest")],
        subject="Morning briefing",
        stories=[{"id": article.pk, "part": "lead"}],
    )


def test_an_editor_previews_and_sends_an_edition(
    client, editor, edition, mail_server, subscribers, django_capture_on_commit_callbacks
):
    subscribers(3)
    client.force_login(editor)
    listing = client.get(reverse("newsletter_editions:index")).content.decode()
    assert "Morning briefing" in listing
    preview = client.get(reverse("newsletters_preview", args=[edition.pk]))
    assert preview.status_code == 200 and b"Morning briefing" in preview.content
    text = client.get(reverse("newsletters_preview", args=[edition.pk]), {"format": "text"})
    assert text["Content-Type"].startswith("text/plain")

    edit = client.get(reverse("newsletter_editions:edit", args=[edition.pk])).content.decode()
    assert "data-send-edition" in edit
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletters_send", args=[edition.pk]))
    assert response.status_code == 302
    assert len(mail_server.messages) == 3
    edition.refresh_from_db()
    assert edition.state == Edition.SENT and sending.numbers(edition)["sent"] == 3
    # Pressing it again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletters_send", args=[edition.pk]))
    assert len(mail_server.messages) == 3
    listing = client.get(reverse("newsletter_editions:index")).content.decode()
    assert "Sent" in listing


def test_an_editor_makes_todays_digests_to_read_first(client, editor, newsletters):
    client.force_login(editor)
    page = client.get(reverse("newsletter_lists:index")).content.decode()
    assert "data-prepare-digests" in page
    client.post(reverse("newsletters_prepare_digests"))
    digests = Edition.objects.filter(day__isnull=False, state=Edition.DRAFT)
    assert digests.count() == 4


def test_subscribers_are_searched_exported_and_removed_not_added(client, editor, subscribers):
    readers = subscribers(3)
    client.force_login(editor)
    found = client.get(reverse("newsletter_subscribers:index"), {"q": "reader1@"}).content.decode()
    assert "reader1@example.org" in found and "reader2@example.org" not in found
    export = client.get(reverse("newsletter_subscribers:index"), {"export": "csv"})
    body = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert "reader0@example.org" in body and "reader2@example.org" in body
    assert client.get(reverse("newsletter_subscribers:add")).status_code in (302, 403)
    client.post(reverse("newsletter_subscribers:delete", args=[readers[0].pk]))
    assert not Subscriber.objects.filter(pk=readers[0].pk).exists()


def test_a_contributor_has_no_newsletters(client, contributor, edition):
    client.force_login(contributor)
    for url in (
        reverse("newsletter_editions:index"),
        reverse("newsletters_preview", args=[edition.pk]),
        reverse("newsletter_outbox:index"),
    ):
        assert client.get(url).status_code in (302, 403)
    assert client.post(reverse("newsletters_send", args=[edition.pk])).status_code in (302, 403)
    edition.refresh_from_db()
    assert edition.state == Edition.DRAFT


def test_the_outbox_shows_mail_kept_as_files(client, editor, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    mail.send_mail("Kept here", "The body.", "from@example.org", ["to@example.org"])
    client.force_login(editor)
    page = client.get(reverse("newsletter_outbox:index")).content.decode()
    assert "data-outbox-message" in page and "Kept here" in page
    name = next(tmp_path.iterdir()).name
    shown = client.get(reverse("newsletter_outbox:message", args=[name, 0]))
    assert shown.status_code == 200 and b"The body." in shown.content
    assert client.get(reverse("newsletter_outbox:message", args=[name, 5])).status_code == 404
    assert (
        client.get(reverse("newsletter_outbox:message", args=["..%2Fsecret.log", 0])).status_code
        == 404
    )


def test_an_editor_makes_an_edition_by_hand_with_stories_of_its_language(
    client, editor, newsletters, article, locale
):
    weekly = newsletters[("en", "digest")]
    russian = article.get_translation(locale("ru"))
    client.force_login(editor)
    form = client.get(reverse("newsletter_editions:add")).content.decode()
    assert "chosen_stories" in form
    refused = client.post(
        reverse("newsletter_editions:add"),
        {"newsletter": weekly.pk, "subject": "Week", "note": "", "chosen_stories": [russian.pk]},
    )
    assert refused.status_code == 200 and "language only" in refused.content.decode()
    assert not Edition.objects.filter(subject="Week").exists()
    made = client.post(
        reverse("newsletter_editions:add"),
        {
            "newsletter": weekly.pk,
            "subject": "Week",
            "note": "Hello.",
            "chosen_stories": [article.pk],
        },
    )
    assert made.status_code == 302
    edition = Edition.objects.get(subject="Week")
    assert edition.stories == [{"id": article.pk, "part": "section"}]
    assert edition.state == Edition.DRAFT
