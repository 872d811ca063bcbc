"""What apps need to stay in step: when each article last changed, and whether it is
still there for the public (a tombstone when it is not)."""

from __future__ import annotations

from django.db import models


class ArticleChange(models.Model):
    """One row per article that has ever been public: the time of its latest change and
    whether it is public now. `updated_since` reads this table, so an app learns about
    edits, moves and removals alike; a removed article stays here as a tombstone."""

    # No foreign key: the row must outlive a deleted page.
    page_id = models.PositiveIntegerField(primary_key=True)
    language = models.CharField(max_length=16)
    changed_at = models.DateTimeField()
    public = models.BooleanField()

    class Meta:
        db_table = "dateline_api_article_change"
        indexes = [
            models.Index(fields=["changed_at", "page_id"], name="api_change_time"),
            models.Index(fields=["language", "changed_at", "page_id"], name="api_change_lang_time"),
        ]

    def __str__(self) -> str:
        state = "public" if self.public else "removed"
        return f"article {self.page_id} {state} at {self.changed_at:%Y-%m-%d %H:%M:%S}"
