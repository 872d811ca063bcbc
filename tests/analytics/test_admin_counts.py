"""The newsroom sees the counts: a column in the article listing, a panel on the editor."""

import pytest

from dateline.analytics.services import add_views

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def test_the_article_listing_shows_and_sorts_by_views(client, editor, article, world):
    other = world.articles().exclude(pk=article.pk).first()
    add_views(article, 4321)
    add_views(other, 12)
    client.force_login(editor)
    response = client.get("/admin/articles/?ordering=-views_counted")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Views" in html
    assert html.index(article.title) < html.index(other.title)
    assert "4321" in html.replace(",", "").replace("\xa0", "")


def test_the_editor_shows_the_count_read_only(client, editor, article):
    add_views(article, 77)
    client.force_login(editor)
    html = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "data-view-total>77<" in html
    assert 'name="views"' not in html


def test_contributors_see_the_listing_too(client, contributor):
    client.force_login(contributor)
    assert client.get("/admin/articles/").status_code == 200
