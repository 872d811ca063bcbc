"""Two indexes on the page table for the admin's listings and searches, so that their cost
does not grow with the number of stories on the site.

- The page tree, with what a section's listing asks of each child: the page explorer
  counts a section's stories and sorts them by their latest change. With only the path
  indexed, both read every child's row from the table: about 220 ms each for a section of
  40,000 stories on a site of a million; from this index alone, 16-20 ms.
- Each page's id as text: the admin's page search (Wagtail's search backend) joins its
  index entries to the pages by the page id written as text, which no index answered, so
  every search read the whole page table: 150-350 ms a query at a million stories, three
  queries a search; with this index, under a millisecond for a word in a few pages.

PostgreSQL only: the path is matched with LIKE, which SQLite does not answer from an
index (its LIKE ignores case), and Wagtail searches SQLite through its own full-text
table."""

from django.db import migrations

INDEXES = {
    "dateline_page_children": "(path) INCLUDE (depth, latest_revision_created_at, id)",
    "dateline_page_id_as_text": "(((id)::varchar(50)))",
}


def _on_postgresql(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


CREATE = [
    f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page {columns}"
    for name, columns in INDEXES.items()
]
DROP = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES]


class Migration(migrations.Migration):
    dependencies = [("news", "0019_articlepage_post_to_channels")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
