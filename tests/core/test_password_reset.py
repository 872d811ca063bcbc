"""The newsroom's password reset sends its mail only so often per address and per
account, and answers the same whether or not it sent anything."""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from dateline.ops.worker import run_task_worker

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
DONE = "/admin/password_reset/done/"


@pytest.fixture
def eddie(editor):
    editor.email = "eddie@newsroom.example"
    editor.save()
    return editor


def ask_reset(client, email: str, address: str = "192.0.2.30"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_an_editor_gets_a_reset_link_by_mail(client, eddie):
    response = ask_reset(client, "eddie@newsroom.example")
    assert (response.status_code, response["Location"]) == (302, DONE)
    assert [message.to for message in mail.outbox] == [["eddie@newsroom.example"]]
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body


def test_one_account_gets_only_a_few_mails_whatever_the_address(client, eddie, settings, caplog):
    settings.DATELINE_PASSWORD_RESET_PER_ACCOUNT = 2
    with caplog.at_level(logging.WARNING, logger="dateline.core.password_reset"):
        answers = [ask_reset(client, "Eddie@newsroom.example", f"198.51.100.{n}") for n in range(5)]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {(302, DONE)}
    assert len(mail.outbox) == 2
    refusals = [record for record in caplog.records if "not sent" in record.getMessage()]
    assert len(refusals) == 3
    assert all("eddie@newsroom.example" not in record.getMessage() for record in refusals)


def test_one_address_can_ask_only_a_few_times(client, eddie, settings, caplog):
    settings.DATELINE_PASSWORD_RESET_PER_ADDRESS = 2
    with caplog.at_level(logging.WARNING, logger="dateline.core.password_reset"):
        first = ask_reset(client, "nobody@newsroom.example", "2001:db8:7:8::1")
        second = ask_reset(client, "someone@newsroom.example", "2001:db8:7:8::2")
        # The third from the same /64 sends nothing, even for a real account …
        third = ask_reset(client, "eddie@newsroom.example", "2001:db8:7:8::3")
    assert first["Location"] == second["Location"] == third["Location"] == DONE
    assert mail.outbox == []
    assert sum("not sent" in record.getMessage() for record in caplog.records) == 1
    # … while another address is not held back.
    ask_reset(client, "eddie@newsroom.example", "2001:db8:7:9::1")
    assert len(mail.outbox) == 1


def test_the_answer_does_not_tell_whether_an_account_exists(client, eddie, settings):
    settings.DATELINE_PASSWORD_RESET_PER_ACCOUNT = 1
    ask_reset(client, "eddie@newsroom.example")
    over_limit = ask_reset(client, "eddie@newsroom.example")
    unknown = ask_reset(client, "nobody@newsroom.example")
    assert (over_limit.status_code, over_limit["Location"]) == (302, DONE)
    assert (unknown.status_code, unknown["Location"]) == (302, DONE)
    assert len(mail.outbox) == 1


def test_a_malformed_address_is_refused_with_a_message(client, eddie):
    response = ask_reset(client, "not an address")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []


def test_the_mail_is_sent_by_the_worker_and_the_queue_never_holds_a_link(client, eddie, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATELINE_TASKS = "database"

    response = ask_reset(client, "eddie@newsroom.example")

    assert (response.status_code, response["Location"]) == (302, DONE)
    assert mail.outbox == []
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path.endswith("send_password_reset_mail")
    assert "confirm" not in json.dumps(queued.args_kwargs)

    run_task_worker("test-mail-worker", burst=True)

    assert [message.to for message in mail.outbox] == [["eddie@newsroom.example"]]
    link = re.search(r"https?://\S+/admin/password_reset/confirm/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    confirm = client.get(urlsplit(link.group(0)).path)
    assert confirm.status_code == 302  # to the set-password form, the token accepted
    assert client.get(confirm["Location"]).status_code == 200


def test_an_unknown_address_queues_a_mail_that_sends_nothing(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATELINE_TASKS = "database"
    assert ask_reset(client, "nobody@newsroom.example")["Location"] == DONE
    run_task_worker("test-mail-worker", burst=True)
    assert mail.outbox == []
    assert DBTaskResult.objects.successful().count() == 1
