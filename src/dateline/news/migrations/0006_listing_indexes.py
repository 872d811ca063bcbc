"""Indexes for the queries every listing and every page lookup run on Wagtail's page table.

Listings read a language's live stories newest first; pages are found by their URL path.
Without these, both scan every page of the site, which at 100,000 stories costs seconds.
"""

from django.db import migrations

INDEXES = {
    "dateline_page_locale_newest": "(locale_id, first_published_at DESC, id DESC)",
    "dateline_page_url_path": "(url_path)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_standard_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page {columns}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]
