"""An index of the roots of Wagtail's page tree (the pages at depth 1).

The admin looks up the tree's root for every listing it shows; without an index that
reads every page of the site, about 250 ms at 100,000 stories on SQLite. The index holds
only the roots: an index on every page's depth would tempt the database into reading
listings by depth instead of newest first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0006_listing_indexes")]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS dateline_page_roots "
                "ON wagtailcore_page (path) WHERE depth = 1"
            ),
            reverse_sql="DROP INDEX IF EXISTS dateline_page_roots",
        )
    ]
