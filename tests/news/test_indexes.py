"""The page table carries the indexes that listings, page lookups and the admin need at
scale."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def test_the_page_table_is_indexed_for_newest_first_listings_and_url_paths():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    assert constraints["dateline_page_locale_newest"]["columns"] == [
        "locale_id",
        "first_published_at",
        "id",
    ]
    assert constraints["dateline_page_url_path"]["columns"] == ["url_path"]
    assert constraints["dateline_page_roots"]["columns"] == ["path"]
