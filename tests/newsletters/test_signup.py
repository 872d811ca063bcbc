"""A reader signs up from any page, confirms by the link in the e-mail, changes lists and
language, unsubscribes in one click, or deletes everything; bad and hostile sign-ups
get a clear answer and change nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from dateline.newsletters.models import NewsletterList, Subscriber, Subscription

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


def signup_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("newsletters:subscribe")


def sign_up(client, email: str, lists=(), language="en", **extra):
    data = {"email": email, "lists": [newsletter.pk for newsletter in lists], **extra}
    return client.post(signup_url(language), data, HTTP_ORIGIN=SITE)


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/newsletters/confirm/\S+/", message.body).group(0)


def test_a_reader_signs_up_confirms_and_is_subscribed(
    client, newsletters, django_capture_on_commit_callbacks
):
    digest, breaking = newsletters[("en", "digest")], newsletters[("en", "breaking")]
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "  Reader@Example.ORG ", [digest, breaking])
    assert response.status_code == 200 and b"data-newsletter-sent" in response.content
    subscriber = Subscriber.objects.get(email="reader@example.org")
    assert subscriber.confirmed_at is None and not subscriber.lists.exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    link = confirmation_link(message)
    assert link.startswith("http") and "/en/newsletters/confirm/" in link
    assert any(part[1] == "text/html" for part in message.alternatives)

    path = link.split("/en/", 1)[1]
    page = client.get(f"/en/{path}")
    # Opening the link (as mail scanners do) subscribes no one: a button does.
    assert page.status_code == 200 and not subscriber.lists.exists()
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]
    confirmed = client.post(f"/en/{path}")
    assert confirmed.status_code == 200 and b"data-newsletter-confirmed" in confirmed.content
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert set(subscriber.lists.all()) == {digest, breaking}


def test_signing_up_without_choosing_takes_the_daily_digest(
    client, newsletters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "digest-only@example.org", language="ru")
    link = confirmation_link(mail.outbox[0])
    # The e-mail speaks the page's language.
    assert mail.outbox[0].subject != "Confirm your newsletter subscription"
    client.post("/ru/" + link.split("/ru/", 1)[1])
    subscriber = Subscriber.objects.get(email="digest-only@example.org")
    assert list(subscriber.lists.all()) == [newsletters[("ru", "digest")]]
    assert subscriber.locale.language_code == "ru"


@pytest.mark.parametrize(
    "email",
    ["not an address", "", "a@b", "x" * 300 + "@example.org", "<script>@example.org"],
)
def test_a_malformed_address_is_refused_with_a_message(client, newsletters, email):
    response = sign_up(client, email)
    assert response.status_code == 400
    assert b"data-newsletter-error" in response.content
    assert (
        not Subscriber.objects.filter(email__contains="example")
        .exclude(email__endswith="@example.org")
        .exists()
    )
    assert mail.outbox == []


def test_a_huge_or_hostile_form_is_refused(client, newsletters):
    response = client.post(
        signup_url(), {"email": "a@example.org", "lists": ["x", "99999999"]}, HTTP_ORIGIN=SITE
    )
    assert response.status_code == 400
    response = client.post(signup_url(), {"email": "é" * 100_000}, HTTP_ORIGIN=SITE)
    assert response.status_code == 400
    assert not Subscriber.objects.filter(email="a@example.org").exists()


def test_a_robot_filling_the_hidden_field_is_told_nothing_and_gets_nothing(
    client, newsletters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "robot@example.org", website="http://spam.example")
    assert response.status_code == 200 and b"data-newsletter-sent" in response.content
    assert not Subscriber.objects.filter(email="robot@example.org").exists()
    assert mail.outbox == []


def test_a_sign_up_posted_from_another_site_is_refused(client, newsletters):
    response = client.post(
        signup_url(), {"email": "victim@example.org"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    assert not Subscriber.objects.filter(email="victim@example.org").exists()


def test_too_many_sign_ups_from_one_place_are_slowed_down(
    client, newsletters, settings, django_capture_on_commit_callbacks
):
    settings.DATELINE_NEWSLETTER_SIGNUPS_PER_ADDRESS = 3
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            sign_up(client, f"flood{number}@example.org", REMOTE_ADDR="203.0.113.9").status_code
            for number in range(5)
        ]
    assert answers == [200, 200, 200, 429, 429]
    assert len(mail.outbox) == 3


def test_a_tampered_or_expired_confirmation_link_is_refused(
    client, newsletters, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "late@example.org")
    path = "/en/" + confirmation_link(mail.outbox[0]).split("/en/", 1)[1]
    tampered = path.replace("/confirm/", "/confirm/x")
    assert client.post(tampered).status_code == 400
    settings.DATELINE_NEWSLETTER_CONFIRM_HOURS = -1
    expired = client.post(path)
    assert expired.status_code == 410 and b"expired" in expired.content
    assert not Subscriber.objects.get(email="late@example.org").lists.exists()


def test_one_click_unsubscribe_needs_no_page_and_no_cookie(client, subscribers, newsletters):
    (reader,) = subscribers(1)
    digest = newsletters[("en", "digest")]
    with translation.override("en"):
        url = reverse("newsletters:unsubscribe", args=[reader.token, digest.pk])
    # Looking at the page unsubscribes no one.
    page = client.get(url)
    assert page.status_code == 200 and b'method="post"' in page.content
    assert Subscription.objects.filter(subscriber=reader).exists()
    # What a mail client sends for RFC 8058 one-click unsubscribe.
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and b"data-newsletter-unsubscribed" in response.content
    assert not Subscription.objects.filter(subscriber=reader).exists()
    assert client.post(url.replace(reader.token, "wrong-token")).status_code == 404


def test_preferences_change_language_and_lists_or_delete_everything(
    client, subscribers, newsletters
):
    (reader,) = subscribers(1)
    with translation.override("en"):
        url = reverse("newsletters:preferences", args=[reader.token])
    page = client.get(url)
    assert page.status_code == 200 and reader.email.encode() in page.content

    client.post(url, {"language": "hy", "lists": [newsletters[("en", "digest")].pk]})
    reader.refresh_from_db()
    assert reader.locale.language_code == "hy"
    assert list(reader.lists.all()) == [newsletters[("hy", "digest")]]

    bad = client.post(url, {"language": "xx"})
    assert bad.status_code == 400
    reader.refresh_from_db()
    assert reader.locale.language_code == "hy"

    forgotten = client.post(url, {"forget": "1"})
    assert b"data-newsletter-forgotten" in forgotten.content
    assert not Subscriber.objects.filter(pk=reader.pk).exists()
    assert client.get(url).status_code == 404


def test_the_footer_of_every_page_offers_the_sign_up_form(client, newsletters, article):
    for path in ("/en/", article.url):
        page = client.get(path).content.decode()
        form = page.split("data-newsletter-signup", 1)[1].split("</form>", 1)[0]
        assert 'name="email"' in form and 'name="website"' in form
        assert str(newsletters[("en", "digest")].pk) in form
    assert NewsletterList.objects.filter(kind="digest").count() >= 4
