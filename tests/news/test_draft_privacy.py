"""Unpublished drafts (embargoed stories) are seen only by their authors, the story's desk,
and editors and moderators: never by another contributor, on any admin surface."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission

from dateline.news import permissions, services
from dateline.news.models import ArticlePage, HomePage, SectionPage

pytestmark = pytest.mark.django_db

SECRET = "Quillington"
EMBARGOED = f"{SECRET} resigns, effective Friday"
# What a listing would show of the draft; a search page repeats its query, not this.
SHOWN = "resigns, effective Friday"


def _user(username: str, *groups: Group):
    user = get_user_model().objects.create_user(username, password="pass-for-tests-123")
    user.groups.add(*groups)
    return user


def _admin_group(name: str) -> Group:
    group = Group.objects.create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def _group(name: str) -> Group:
    return Group.objects.get(name=name)


@pytest.fixture
def author(db):
    return _user("anna", _group("Contributors"))


@pytest.fixture
def other(db):
    return _user("boris", _group("Contributors"))


@pytest.fixture
def editor(db):
    return _user("eddie", _group("Editors"))


@pytest.fixture
def moderator(db):
    return _user("mona", _group("Moderators"))


@pytest.fixture
def desk(db) -> SectionPage:
    """A section of its own, so that its few stories fit on one page of every listing."""
    home = HomePage.objects.get(locale__language_code="en")
    return services.create_section(
        home, title="Newsdesk", slug="newsdesk", description="Stories from the desk."
    )


@pytest.fixture
def draft(desk, author) -> ArticlePage:
    """An embargoed story the author has saved but never published."""
    return services.create_article(
        desk,
        title=EMBARGOED,
        slug="embargoed",
        standfirst="Not before Friday.",
        paragraphs=["The minister will announce it on Friday."],
        publish_now=False,
        user=author,
        owner=author,
    )


@pytest.fixture
def published_with_draft(desk, author) -> ArticlePage:
    """A live story whose newer, unpublished draft holds an embargoed update."""
    story = services.create_article(
        desk,
        title="Cabinet meets on Thursday",
        slug="cabinet-meets",
        standfirst="A routine meeting.",
        paragraphs=["The cabinet meets weekly."],
        owner=author,
    )
    story.title = EMBARGOED
    story.save_revision(user=author, log_action=True)
    story.refresh_from_db()
    assert story.live and story.has_unpublished_changes
    return story


def _hidden(response) -> bool:
    """Refused without showing the draft: Wagtail's admin answers a refusal by sending the
    user to the dashboard with "Sorry, you do not have permission to access this area"
    (a 403 to scripts), as it does for every page the user may not touch."""
    if response.status_code == 302:
        return response.url == reverse("wagtailadmin_home")
    return response.status_code in (403, 404) and SECRET not in response.content.decode()


def _edit(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


# The editor


def test_another_contributor_cannot_open_the_draft_in_the_editor(client, draft, other):
    client.force_login(other)
    assert _hidden(client.get(_edit(draft)))


def test_another_contributor_cannot_save_over_the_draft(client, draft, other):
    client.force_login(other)
    assert _hidden(client.post(_edit(draft), {"title": "Overwritten"}))
    draft.refresh_from_db()
    assert draft.get_latest_revision_as_object().title == EMBARGOED


@pytest.mark.parametrize("who", ["author", "editor", "moderator"])
def test_the_author_editors_and_moderators_open_the_draft(client, draft, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_edit(draft))
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_the_story_s_desk_opens_the_draft_and_a_language_wide_grant_does_not(client, draft, desk):
    change = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    desk_group = _admin_group("Newsdesk desk")
    GroupPagePermission.objects.create(group=desk_group, page=desk, permission=change)
    english = _admin_group("English contributors")
    GroupPagePermission.objects.create(group=english, page=desk.get_parent(), permission=change)

    client.force_login(_user("dina", desk_group))
    assert client.get(_edit(draft)).status_code == 200
    client.force_login(_user("ernst", english))
    assert _hidden(client.get(_edit(draft)))


# Listings, search and the chooser


def test_another_contributor_does_not_see_the_draft_in_the_explorer(client, draft, other, author):
    url = reverse("wagtailadmin_explore", args=[draft.get_parent().pk])
    client.force_login(other)
    response = client.get(url)
    assert response.status_code == 200
    assert SHOWN not in response.content.decode()
    client.force_login(author)
    assert SHOWN in client.get(url).content.decode()


def test_another_contributor_does_not_find_the_draft_in_page_search(client, draft, other, editor):
    url = reverse("wagtailadmin_pages:search") + f"?q={SECRET}"
    client.force_login(other)
    response = client.get(url)
    assert response.status_code == 200
    assert SHOWN not in response.content.decode()
    client.force_login(editor)
    assert SHOWN in client.get(url).content.decode()


def test_another_contributor_does_not_see_the_draft_in_the_article_listing(
    client, draft, other, author
):
    url = reverse("articles:index") + f"?q={SECRET}"
    client.force_login(other)
    assert SHOWN not in client.get(url).content.decode()
    client.force_login(author)
    assert SHOWN in client.get(url).content.decode()


def test_another_contributor_cannot_choose_the_draft(client, draft, other, author):
    browse = reverse("wagtailadmin_choose_page_child", args=[draft.get_parent().pk])
    search = reverse("wagtailadmin_choose_page_search") + f"?q={SECRET}"
    client.force_login(other)
    assert SHOWN not in client.get(browse).content.decode()
    assert SHOWN not in client.get(search).content.decode()
    client.force_login(author)
    assert SHOWN in client.get(browse).content.decode()
    assert SHOWN in client.get(search).content.decode()


def test_another_contributor_cannot_read_the_draft_through_the_admin_api(
    client, draft, other, author
):
    detail = f"/admin/api/main/pages/{draft.pk}/"
    children = f"/admin/api/main/pages/?child_of={draft.get_parent().pk}&for_explorer=1"
    client.force_login(other)
    assert client.get(detail).status_code == 404
    assert SHOWN not in client.get(children).content.decode()
    client.force_login(author)
    assert SHOWN in client.get(detail).content.decode()


def test_another_contributor_does_not_see_the_draft_in_site_history_or_workflow_report(
    client, desk, author, other, editor
):
    client.force_login(author)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", desk.pk]),
        _article_form(),
    )
    assert response.status_code == 302
    history = reverse("wagtailadmin_reports:site_history")
    workflow = reverse("wagtailadmin_reports:workflow")
    # Fresh clients: the author's "submitted for moderation" message waits in this one.
    as_other, as_editor = Client(), Client()
    as_other.force_login(other)
    assert SHOWN not in as_other.get(history).content.decode()
    assert SHOWN not in as_other.get(workflow).content.decode()
    as_editor.force_login(editor)
    assert SHOWN in as_editor.get(history).content.decode()
    assert SHOWN in as_editor.get(workflow).content.decode()


def _article_form() -> dict:
    from tests.news.test_admin import article_form

    data = article_form(slug="submitted-embargo", title=EMBARGOED)
    data["action-submit"] = "action-submit"
    return data


# Previews, history and workflow


def test_another_contributor_cannot_preview_the_draft(client, draft, other, author):
    view_draft = reverse("wagtailadmin_pages:view_draft", args=[draft.pk])
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])
    client.force_login(other)
    assert _hidden(client.get(view_draft))
    assert _hidden(client.get(preview))
    assert _hidden(client.post(preview, {"title": "x"}))
    client.force_login(author)
    response = client.get(view_draft)
    assert response.status_code == 200
    assert SECRET in response.content.decode()


def test_another_contributor_cannot_see_the_draft_s_history_or_revisions(
    client, draft, other, editor
):
    revision = draft.latest_revision
    urls = [
        reverse("wagtailadmin_pages:history", args=[draft.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, revision.pk]),
        reverse("wagtailadmin_pages:revisions_revert", args=[draft.pk, revision.pk]),
        reverse("wagtailadmin_pages:revisions_compare", args=[draft.pk, "earliest", "latest"]),
        reverse("wagtailadmin_pages:workflow_history", args=[draft.pk]),
    ]
    client.force_login(other)
    for url in urls:
        assert _hidden(client.get(url)), url
    client.force_login(editor)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_another_contributor_cannot_copy_or_move_the_draft(client, draft, other):
    client.force_login(other)
    assert _hidden(client.get(reverse("wagtailadmin_pages:copy", args=[draft.pk])))
    assert _hidden(client.get(reverse("wagtailadmin_pages:move", args=[draft.pk])))


# A live story with a newer draft


def test_a_live_story_with_a_newer_draft_is_listed_but_its_draft_stays_hidden(
    client, published_with_draft, other
):
    story = published_with_draft
    client.force_login(other)
    listing = client.get(reverse("wagtailadmin_explore", args=[story.get_parent().pk]))
    assert "Cabinet meets on Thursday" in listing.content.decode()
    assert SECRET not in listing.content.decode()
    assert _hidden(client.get(_edit(story)))
    assert _hidden(client.get(reverse("wagtailadmin_pages:view_draft", args=[story.pk])))
    assert _hidden(client.get(reverse("wagtailadmin_pages:history", args=[story.pk])))
    # Readers, and so every contributor, see the published story.
    assert client.get(story.url).status_code == 200


def test_no_listing_shows_another_contributor_the_newer_draft_s_headline(
    client, published_with_draft, other, author
):
    story = published_with_draft
    parent = story.get_parent().pk
    urls = [
        reverse("wagtailadmin_explore", args=[parent]),
        reverse("wagtailadmin_pages:search") + "?q=Cabinet",
        reverse("articles:index") + "?q=Cabinet",
        reverse("wagtailadmin_choose_page_child", args=[parent]),
        reverse("wagtailadmin_choose_page_search") + "?q=Cabinet",
        f"/admin/api/main/pages/{story.pk}/",
        f"/admin/api/main/pages/?child_of={parent}&for_explorer=1",
        reverse("wagtailadmin_reports:site_history"),
    ]
    client.force_login(other)
    for url in urls:
        content = client.get(url).content.decode()
        assert SHOWN not in content, url
    client.force_login(author)
    for url in urls[:3]:
        assert SHOWN in client.get(url).content.decode(), url


def test_once_the_draft_is_published_other_contributors_may_edit_the_story(
    client, published_with_draft, other, editor
):
    services.publish(published_with_draft.get_latest_revision_as_object(), editor)
    client.force_login(other)
    assert client.get(_edit(published_with_draft)).status_code == 200


def test_a_contributor_who_saved_the_newer_draft_keeps_seeing_it(client, desk, author, other):
    story = services.create_article(
        desk, title="Harbour reopens", standfirst="Ships are back.", slug="harbour", owner=author
    )
    story.title = EMBARGOED
    story.save_revision(user=other)
    client.force_login(other)
    assert client.get(_edit(story)).status_code == 200
    client.force_login(author)
    assert client.get(_edit(story)).status_code == 200
    third = _user("cyril", _group("Contributors"))
    client.force_login(third)
    assert _hidden(client.get(_edit(story)))


def test_a_pulled_story_is_hidden_like_a_draft(client, desk, author, other, editor):
    story = services.create_article(
        desk, title=EMBARGOED, standfirst="Pulled.", slug="pulled", owner=author
    )
    services.unpublish(story, editor)
    client.force_login(other)
    listing = client.get(reverse("wagtailadmin_explore", args=[desk.pk]))
    assert SECRET not in listing.content.decode()
    assert _hidden(client.get(_edit(story)))


# The rule itself, and bad input


def test_visible_to_keeps_live_pages_and_drops_hidden_drafts(draft, published_with_draft, other):
    pages = ArticlePage.objects.filter(pk__in=[draft.pk, published_with_draft.pk])
    assert list(permissions.visible_to(other, pages)) == [published_with_draft]
    assert permissions.can_see_draft(other, draft) is False
    assert permissions.can_see_draft(other, published_with_draft) is False
    assert permissions.can_see_draft(draft.owner, draft) is True


def test_an_anonymous_visitor_sees_no_draft(draft):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can_see_draft(AnonymousUser(), draft)
    assert not permissions.visible_to(AnonymousUser(), ArticlePage.objects.filter(pk=draft.pk))


@pytest.mark.parametrize(
    "name,args",
    [
        ("wagtailadmin_pages:edit", [999999]),
        ("wagtailadmin_pages:view_draft", [999999]),
        ("wagtailadmin_pages:preview_on_edit", [999999]),
        ("wagtailadmin_pages:history", [999999]),
        ("wagtailadmin_pages:workflow_history", [999999]),
        ("wagtailadmin_pages:revisions_view", [999999, 1]),
        ("wagtailadmin_choose_page_child", [999999]),
    ],
)
def test_unknown_pages_answer_404(client, other, name, args):
    client.force_login(other)
    assert client.get(reverse(name, args=args)).status_code == 404


def test_an_unknown_revision_of_a_draft_answers_404_to_its_author(client, draft, author):
    client.force_login(author)
    url = reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, 999999])
    assert client.get(url).status_code == 404
