"""Articles published before the change log existed: one row each, at their last publish."""

from django.db import migrations


def backfill(apps, schema_editor):
    ArticlePage = apps.get_model("news", "ArticlePage")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    ArticleChange = apps.get_model("dateline_api", "ArticleChange")
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    rows = []
    for pk, language, path, published_at, first_published_at in ArticlePage.objects.filter(
        live=True, alias_of__isnull=True
    ).values_list("pk", "locale__language_code", "path", "last_published_at", "first_published_at"):
        if restricted and path.startswith(restricted):
            continue
        changed_at = published_at or first_published_at
        if changed_at is None:
            continue
        rows.append(
            ArticleChange(page_id=pk, language=language, changed_at=changed_at, public=True)
        )
    ArticleChange.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("dateline_api", "0001_article_change"),
        ("news", "0005_standard_page"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
