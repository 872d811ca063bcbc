"""Recording article changes for app sync (`GET /api/v1/articles?updated_since=`).

Every publish, unpublish, move, slug change, view restriction and deletion ends here, so
an app that asks what changed since its last sync also hears about the articles it must
drop."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from dateline.news.models import ArticlePage

from .models import ArticleChange


def _public_ids(ids: list[int]) -> set[int]:
    return set(
        ArticlePage.objects.live()
        .public()
        .filter(pk__in=ids, alias_of__isnull=True)
        .values_list("pk", flat=True)
    )


def record_articles(articles: Iterable[tuple[int, str]]) -> int:
    """Record the current state of these (id, language) articles as changed now."""
    articles = dict(articles)
    if not articles:
        return 0
    now = timezone.now()
    public = _public_ids(list(articles))
    known = set(
        ArticleChange.objects.filter(page_id__in=list(articles)).values_list("page_id", flat=True)
    )
    rows = [
        ArticleChange(page_id=pk, language=language, changed_at=now, public=pk in public)
        for pk, language in articles.items()
        # An article that was never public needs no tombstone.
        if pk in public or pk in known
    ]
    with transaction.atomic():
        ArticleChange.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["page_id"],
            update_fields=["language", "changed_at", "public"],
        )
    return len(rows)


def record_subtree(page: Page) -> int:
    """Record every article at or under the page (a move, a slug or a restriction change)."""
    articles = (
        ArticlePage.objects.descendant_of(page, inclusive=True)
        .values_list("pk", "locale__language_code")
        .iterator(chunk_size=2000)
    )
    count, batch = 0, []
    for row in articles:
        batch.append(row)
        if len(batch) >= 2000:
            count += record_articles(batch)
            batch = []
    return count + record_articles(batch)


def record_deleted(page_id: int) -> None:
    """A deleted article becomes a tombstone, if apps could have seen it."""
    ArticleChange.objects.filter(page_id=page_id).update(changed_at=timezone.now(), public=False)
