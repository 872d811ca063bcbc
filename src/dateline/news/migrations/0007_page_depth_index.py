"""An index on the depth of Wagtail's pages.

The admin looks up the root of the page tree (the page at depth 1) for every listing it
shows; without an index that reads every page of the site, about 250 ms at 100,000
stories on SQLite."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0006_listing_indexes")]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS dateline_page_depth ON wagtailcore_page (depth)",
            reverse_sql="DROP INDEX IF EXISTS dateline_page_depth",
        )
    ]
