"""A story's body, byline, tags and share links are rendered once and kept until the
story, its authors or its tags change; whether any page is private is remembered the same
way. Readers must never see the kept copy after such a change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import PageViewRestriction

from dateline.news import services
from dateline.news.models import Author

pytestmark = pytest.mark.engine


def commit() -> None:
    """Run what waits for the commit (the tests' transaction is never committed)."""
    connection = transaction.get_connection()
    callbacks = [entry[1] for entry in connection.run_on_commit]
    connection.run_on_commit = []
    for callback in callbacks:
        callback()


def test_republishing_a_story_shows_its_new_body(client, article):
    assert client.get(article.url).status_code == 200
    article.body = [("paragraph", "<p>A paragraph added after the first edition.</p>")]
    services.publish(article)
    commit()
    assert "A paragraph added after the first edition." in client.get(article.url).text


def test_renaming_an_author_changes_the_byline_on_the_story(client, article):
    author = Author.objects.create(name="Ani Hovhannisyan", slug="ani-h", locale=article.locale)
    services.set_byline(article, [author])
    services.publish(article)
    commit()
    assert "Ani Hovhannisyan" in client.get(article.url).text
    author.name = "Ani Petrosyan"
    author.save()
    commit()
    page = client.get(article.url).text
    assert "Ani Petrosyan" in page and "Ani Hovhannisyan" not in page


def test_a_story_made_private_is_no_longer_shown_to_readers(client, world, article):
    assert client.get(article.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=world, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Editors"))
    commit()
    answer = client.get(article.url)
    assert answer.status_code == 302 and "login" in answer["Location"]
