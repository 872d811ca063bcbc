"""Publishing events feed the change log that app sync reads (see sync.py)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from dateline.news.models import ArticlePage

from . import sync


def _article_changed(sender, instance: Page, **kwargs) -> None:
    if isinstance(instance, ArticlePage):
        sync.record_articles([(instance.pk, instance.locale.language_code)])


def _subtree_changed(sender, instance: Page, **kwargs) -> None:
    sync.record_subtree(instance)


def _restriction_changed(sender, instance: PageViewRestriction, **kwargs) -> None:
    sync.restriction_changed(instance)


def _article_deleted(sender, instance: ArticlePage, **kwargs) -> None:
    sync.record_deleted(instance.pk)


def connect() -> None:
    page_published.connect(_article_changed, dispatch_uid="dateline_api_published")
    page_unpublished.connect(_article_changed, dispatch_uid="dateline_api_unpublished")
    post_page_move.connect(_subtree_changed, dispatch_uid="dateline_api_moved")
    page_slug_changed.connect(_subtree_changed, dispatch_uid="dateline_api_slug_changed")
    post_save.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="dateline_api_restricted"
    )
    post_delete.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="dateline_api_unrestricted"
    )
    post_delete.connect(_article_deleted, sender=ArticlePage, dispatch_uid="dateline_api_deleted")
