"""The newsroom's side: the Incoming screen, its buttons, the web-page import form, the
sources in Settings, and the `dateline ingest` commands."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dateline.cli import main
from dateline.ingest import services
from dateline.ingest.models import IncomingItem, ItemState, Source, SourceFormat
from dateline.news.models import ArticlePage

from .conftest import fixture, sample

pytestmark = pytest.mark.django_db


@pytest.fixture
def harbour(wire, feed_source):
    wire.serve("/feed.rss", sample("harbour-wire.rss"))
    source = feed_source(name="Harbour Wire")
    services.poll(source)
    return source


def test_incoming_lists_new_items_and_filters_them(client, editor, harbour):
    client.force_login(editor)
    page = client.get(reverse("ingest_incoming")).content.decode()
    assert page.count("data-incoming-item=") == 3
    assert "Ferry timetable changes as winter schedule begins" in page
    found = client.get(reverse("ingest_incoming"), {"q": "fish market"}).content.decode()
    assert found.count("data-incoming-item=") == 1
    other = client.get(reverse("ingest_incoming"), {"language": "ru"}).content.decode()
    assert "data-incoming-none" in other


def test_open_as_draft_goes_to_the_draft_in_the_editor(client, editor, harbour):
    client.force_login(editor)
    item = IncomingItem.objects.get(headline__startswith="Ferry")
    response = client.post(reverse("ingest_open", args=[item.pk]))
    story = ArticlePage.objects.get(title=item.headline)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert not story.live
    editor_page = client.get(response["Location"])
    assert editor_page.status_code == 200
    assert "https://wire.example.org/2026/ferry-winter-schedule" in editor_page.content.decode()


def test_ignore_moves_an_item_out_of_new(client, editor, harbour):
    client.force_login(editor)
    item = IncomingItem.objects.get(headline__startswith="Fish")
    client.post(reverse("ingest_ignore", args=[item.pk]), {"back": "state=new"})
    item.refresh_from_db()
    assert item.state == ItemState.IGNORED
    page = client.get(reverse("ingest_incoming")).content.decode()
    assert "Fish market" not in page
    ignored = client.get(reverse("ingest_incoming"), {"state": "ignored"}).content.decode()
    assert "Fish market" in ignored


def test_someone_without_the_wire_permission_is_turned_away(client, harbour):
    reader = get_user_model().objects.create_user("reader", password="pass-for-tests-123")
    client.force_login(reader)
    item = IncomingItem.objects.first()
    assert client.get(reverse("ingest_incoming")).status_code in (302, 403)
    assert client.post(reverse("ingest_open", args=[item.pk])).status_code in (302, 403)
    item.refresh_from_db()
    assert item.state == ItemState.NEW


def test_import_a_web_page_from_the_form(client, editor, wire, locale):
    client.force_login(editor)
    url = wire.serve("/tolls", fixture("page-hostile.html"), content_type="text/html")
    response = client.post(reverse("ingest_incoming"), {"url": url, "locale": locale("en").pk})
    story = ArticlePage.objects.get(title="Bridge tolls end in January")
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])


@pytest.mark.parametrize(
    "path, body, message",
    [
        ("/missing", None, "the server answered 404"),
        ("/ru", fixture("page-hostile.html").replace(b'lang="en"', b'lang="ru"'), "is in"),
        ("/empty", b"<html><body><nav>Home</nav></body></html>", "no story was found"),
    ],
)
def test_a_page_that_cannot_be_imported_says_why(client, editor, wire, locale, path, body, message):
    client.force_login(editor)
    if body is not None:
        wire.serve(path, body, content_type="text/html")
    before = ArticlePage.objects.count()
    response = client.post(
        reverse("ingest_incoming"), {"url": wire.url(path), "locale": locale("en").pk}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ArticlePage.objects.count() == before


def test_a_source_needs_an_address_or_a_folder_and_a_section_in_its_language(
    client, editor, locale
):
    client.force_login(editor)
    from dateline.news.models import SectionPage

    russian_section = SectionPage.objects.filter(locale=locale("ru")).first()
    form = {
        "name": "Bad",
        "format": SourceFormat.FEED,
        "url": "",
        "folder": "",
        "locale": locale("en").pk,
        "section": russian_section.pk,
        "every_minutes": 15,
        "enabled": "on",
    }
    response = client.post(reverse("ingest_sources:add"), form)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Give either an address or a drop folder" in text
    form["url"] = "https://wire.example.org/feed.rss"
    assert (
        "Choose a section in the source"
        in client.post(reverse("ingest_sources:add"), form).content.decode()
    )
    form["section"] = SectionPage.objects.filter(locale=locale("en")).first().pk
    assert client.post(reverse("ingest_sources:add"), form).status_code == 302
    source = Source.objects.get(name="Bad")
    status = client.get(reverse("ingest_sources:edit", args=[source.pk])).content.decode()
    assert "Poll now" in status


def test_the_source_page_shows_the_last_error(client, editor, wire, feed_source):
    client.force_login(editor)
    wire.serve("/feed.rss", b"", status=500)
    source = feed_source()
    services.poll(source)
    page = client.get(reverse("ingest_sources:edit", args=[source.pk])).content.decode()
    assert "the server answered 500" in page
    listing = client.get(reverse("ingest_sources:index")).content.decode()
    assert "the server answered 500" in listing and "Items received" in listing


def test_the_command_imports_a_page_and_prints_its_admin_address(capsys, wire):
    url = wire.serve("/tolls", fixture("page-hostile.html"), content_type="text/html")
    assert main(["ingest", "url", url, "--section", "world", "--language", "en"]) == 0
    story = ArticlePage.objects.get(title="Bridge tolls end in January")
    assert capsys.readouterr().out.strip().endswith(f"/admin/pages/{story.pk}/edit/")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--language", "xx"], "no site language 'xx'"),
        (["--section", "nowhere"], "no section 'nowhere' in 'en'"),
    ],
)
def test_the_command_names_bad_input(capsys, wire, arguments, message):
    assert main(["ingest", "url", wire.url("/x"), *arguments]) == 2
    assert message in capsys.readouterr().err


def test_the_command_polls_a_named_source(capsys, wire, feed_source):
    wire.serve("/feed.rss", sample("harbour-wire.rss"))
    feed_source(name="Harbour Wire")
    assert main(["ingest", "poll", "Harbour Wire"]) == 0
    assert "Harbour Wire: 3 new" in capsys.readouterr().out
    assert main(["ingest", "poll", "Nobody"]) == 2
    wire.serve("/feed.rss", b"", status=500)
    assert main(["ingest", "poll"]) == 1
    assert "failed: the server answered 500" in capsys.readouterr().out
