"""Every way a story goes live passes the newsroom's publishing rules (news/publishing.py):
the editor's Publish button, the create form, bulk publishing, a workflow's approval and
news/services.py. A rule that refuses keeps the story off the site and says why."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail import hooks
from wagtail.models import Page

from dateline.news import services
from dateline.news.models import ArticlePage
from dateline.news.publishing import PUBLISHING_RULE_HOOK, PublishingRefused

from .test_admin import add_article_url, article_form

pytestmark = pytest.mark.django_db

REASON = "Held for the lawyers: not before the court rules."


def held_stories(page: Page, user) -> str | None:
    return REASON if page.title.startswith("Held") else None


@pytest.fixture
def rule():
    with hooks.register_temporarily(PUBLISHING_RULE_HOOK, held_stories):
        yield


def draft(section, title: str) -> ArticlePage:
    return services.create_article(
        section, title=title, standfirst="A line.", paragraphs=["Text."], publish_now=False
    )


def test_a_story_created_through_services_is_live_in_its_sections_language(world, locale):
    story = services.create_article(
        world, title="Ferry timetable changes", standfirst="From Monday.", paragraphs=["<b>"]
    )
    assert story.live and story.locale == locale("en")
    assert story.get_parent().pk == world.pk
    assert "&lt;b&gt;" in str(story.body[0].value)


def test_a_refused_publish_through_services_leaves_the_story_off_the_site(rule, world, client):
    story = draft(world, "Held: the mayor's contract")
    with pytest.raises(PublishingRefused, match="lawyers"):
        services.publish(story)
    story.refresh_from_db()
    assert not story.live
    assert client.get(f"/en/world/{story.slug}/").status_code == 404


def test_other_stories_publish_while_a_rule_is_in_place(rule, world):
    story = draft(world, "Ferry timetable changes")
    assert services.publish(story).live


def test_the_editors_publish_button_is_refused_with_the_reason_and_keeps_the_edit(
    rule, client, editor, world
):
    story = draft(world, "Held: the mayor's contract")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    title = "Held: the mayor's contract, with the council's answer"
    response = client.post(
        url, article_form(slug=story.slug, title=title, **{"action-publish": "1"})
    )

    assert response.status_code == 302 and response.url == url
    assert REASON in [str(m) for m in get_messages(response.wsgi_request)]
    story.refresh_from_db()
    assert not story.live
    assert story.get_latest_revision_as_object().title.endswith("the council's answer")


def test_publishing_from_the_create_form_is_refused_and_the_draft_is_kept(
    rule, client, editor, world
):
    client.force_login(editor)
    response = client.post(
        add_article_url(world),
        article_form(slug="held-story", title="Held: a sealed verdict", **{"action-publish": "1"}),
    )
    story = ArticlePage.objects.get(slug="held-story")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert not story.live


def test_bulk_publishing_publishes_the_rest_and_not_a_refused_story(rule, client, editor, world):
    held = draft(world, "Held: the mayor's contract")
    ferry = draft(world, "Ferry timetable changes")
    client.force_login(editor)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])

    confirm = client.get(f"{url}?id={held.pk}&id={ferry.pk}")
    assert confirm.status_code == 200
    assert [i["item"].pk for i in confirm.context["items_with_no_access"]] == [held.pk]

    response = client.post(f"{url}?id={held.pk}&id={ferry.pk}", {"include_descendants": ""})
    assert response.status_code == 302
    held.refresh_from_db()
    ferry.refresh_from_db()
    assert not held.live and ferry.live


def test_without_a_rule_the_editors_publish_button_publishes(client, editor, world):
    story = draft(world, "Ferry timetable changes")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    response = client.post(url, article_form(slug=story.slug, **{"action-publish": "1"}))
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.live


def test_taking_a_story_down_is_never_refused(rule, world, client):
    story = services.create_article(world, title="Ferry timetable changes", standfirst="x")
    story.title = "Held: the ferry story"
    story.save()
    services.unpublish(story)
    story.refresh_from_db()
    assert not story.live
    assert client.get(f"/en/world/{story.slug}/").status_code == 404
