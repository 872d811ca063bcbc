"""A machine-translated first draft when a translation service is configured (a local
fake of LibreTranslate's and DeepL's APIs here): texts in place, the draft marked until a
person saves it, and a service that fails leaves the plain copy."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from wagtail.rich_text import RichText

from dateline.core.retries import GiveUp, RetryLater
from dateline.news import machine_translation, services
from dateline.news.models import ArticlePage
from dateline.news.tasks import machine_translate
from tests.factories import story

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(settings):
    """Translates by prefixing the target language; `state["status"]` makes it fail."""
    state: dict = {"status": 200, "asked": []}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state["asked"].append((self.path, body, dict(self.headers)))
            if state["status"] != 200:
                self.send_response(state["status"])
                self.send_header("Retry-After", "7")
                self.end_headers()
                return
            if self.path == "/v2/translate":
                target = body["target_lang"].lower()
                answer = {"translations": [{"text": f"[{target}] {t}"} for t in body["text"]]}
            else:
                answer = {"translatedText": [f"[{body['target']}] {t}" for t in body["q"]]}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.DATELINE_MACHINE_TRANSLATION_URL = f"http://127.0.0.1:{server.server_port}"
    settings.DATELINE_MACHINE_TRANSLATION_KEY = "secret-key"
    settings.DATELINE_MACHINE_TRANSLATION_TIMEOUT = 2
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def source(world):
    body = [
        ("heading", "What happens next"),
        ("paragraph", RichText("<p>The ferry leaves at <b>six</b>.</p>")),
        ("fact_box", {"title": "In short", "facts": RichText("<ul><li>Two euros</li></ul>")}),
    ]
    return story(world, "machine-source", title="Ferry times change", body=body)


def draft_in(source, code: str) -> ArticlePage:
    from wagtail.models import Locale

    return services.translate_page(source, Locale.objects.get(language_code=code))


def test_a_new_draft_is_filled_with_the_machine_translation(service, source):
    draft = draft_in(source, "ru")
    assert machine_translation.translate_draft(draft)
    latest = ArticlePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert latest.title == "[ru] Ferry times change"
    assert latest.standfirst == "[ru] A standfirst."
    kinds = [(block.block_type, str(block.value)) for block in latest.body]
    assert kinds[0] == ("heading", "[ru] What happens next")
    assert "[ru] <p>The ferry leaves at <b>six</b>.</p>" in kinds[1][1]
    assert latest.body[2].value["title"] == "[ru] In short"
    path, request, headers = service["asked"][0]
    assert path == "/translate" and request["source"] == "en" and request["target"] == "ru"
    assert request["format"] == "html" and request["api_key"] == "secret-key"
    assert machine_translation.is_machine_translated(ArticlePage.objects.get(pk=draft.pk))
    assert not latest.live


def test_deepl_is_spoken_too(service, source, settings):
    settings.DATELINE_MACHINE_TRANSLATION_KIND = "deepl"
    draft = draft_in(source, "az")
    machine_translation.translate_draft(draft)
    latest = ArticlePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert latest.title == "[az] Ferry times change"
    path, request, headers = service["asked"][0]
    assert path == "/v2/translate" and request["target_lang"] == "AZ"
    assert headers["Authorization"] == "DeepL-Auth-Key secret-key"


def test_the_mark_goes_when_a_person_saves_the_draft(client, editor, service, source):
    draft = draft_in(source, "hy")
    machine_translation.translate_draft(draft)
    client.force_login(editor)
    editor_page = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert "This draft was translated by machine" in editor_page
    page = ArticlePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    page.title = "Լաստանավի ժամերը փոխվում են"
    page.save_revision(user=editor)
    assert not machine_translation.is_machine_translated(ArticlePage.objects.get(pk=draft.pk))
    # Run again (a retried task), it leaves the person's words alone.
    assert not machine_translation.translate_draft(ArticlePage.objects.get(pk=draft.pk))


@pytest.mark.parametrize("status, error", [(429, RetryLater), (503, RetryLater), (401, GiveUp)])
def test_a_failing_service_is_tried_again_or_given_up_and_the_copy_stays(
    service, source, status, error
):
    service["status"] = status
    draft = draft_in(source, "ru")
    with pytest.raises(error):
        machine_translation.translate_draft(draft)
    latest = ArticlePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert latest.title == "Ferry times change"
    assert not machine_translation.is_machine_translated(latest)


def test_a_service_that_is_not_there_is_tried_again(settings, source):
    settings.DATELINE_MACHINE_TRANSLATION_URL = "http://127.0.0.1:9"
    with pytest.raises(RetryLater, match="could not be reached"):
        machine_translation.translate_draft(draft_in(source, "ru"))


def test_the_desk_queues_it_when_a_translation_is_started(
    client, editor, service, source, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news_translate", args=[source.pk, "ru"]))
    russian = ArticlePage.objects.get(
        translation_key=source.translation_key, locale__language_code="ru"
    )
    assert russian.get_latest_revision_as_object().title == "[ru] Ferry times change"


def test_off_by_default(client, editor, source, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news_translate", args=[source.pk, "az"]))
    draft = ArticlePage.objects.get(
        translation_key=source.translation_key, locale__language_code="az"
    )
    assert draft.get_latest_revision_as_object().title == "Ferry times change"
    assert machine_translate.call(draft.pk) is False
