"""Reading and writing view counts."""

from django.db.models import F
from wagtail.models import Page

from .models import ArticleViewTotal


def view_count(article: Page) -> int:
    """The stored count for an article, 0 if it has never been counted."""
    return (
        ArticleViewTotal.objects.filter(article_id=article.pk)
        .values_list("views", flat=True)
        .first()
        or 0
    )


def add_views(article: Page, views: int) -> int:
    """Add to an article's stored count and return the new total."""
    total, created = ArticleViewTotal.objects.get_or_create(
        article_id=article.pk, defaults={"views": views}
    )
    if not created:
        ArticleViewTotal.objects.filter(pk=total.pk).update(views=F("views") + views)
        total.refresh_from_db()
    return total.views
