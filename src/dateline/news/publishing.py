"""Where every publish of a news page passes, whichever path it takes.

A page goes live through one of these paths: the editor's Publish button, the create
form's Publish, bulk publishing in the explorer, a workflow's final approval, scheduled
publishing, and news/services.py (the CLI, the demo, importers, tests). Wagtail's editor
runs its publish action itself and calls the `before_publish_page` hook first; every other
path calls the page's `publish()`, which `DatelinePage` sends here. So a rule checked in
`refusal()` holds for all of them.

Rules are Wagtail hooks named `PUBLISHING_RULE_HOOK`: `rule(page, user) -> str | None`,
answering why the page may not be published now (shown to the editor), or None. Taking a
page down is never refused: a story pulled for legal reasons must go at once.

What a publish then does to the site (caches, feeds, search, the API) is news/events.py's
business: every path ends in the same Wagtail action and so in the same event."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Page, Revision

PUBLISHING_RULE_HOOK = "dateline_publishing_rule"


class PublishingRefused(PermissionDenied):
    """A newsroom rule stopped a publish; the message says which and why."""


def refusal(page: Page, user: AbstractBaseUser | None) -> str | None:
    """Why `page` may not be published by `user` now, or None when every rule allows it."""
    for rule in hooks.get_hooks(PUBLISHING_RULE_HOOK):
        reason = rule(page, user)
        if reason:
            return str(reason)
    return None


def publish_revision(
    revision: Revision,
    user: AbstractBaseUser | None = None,
    *,
    changed: bool = True,
    log_action: bool = True,
    previous_revision: Revision | None = None,
    skip_permission_checks: bool = False,
) -> None:
    """Publish `revision` (or schedule it, when its go-live time is ahead) if the rules allow.

    Raises PublishingRefused with the rule's reason; nothing is published then."""
    reason = refusal(revision.content_object, user)
    if reason:
        raise PublishingRefused(reason)
    PublishPageRevisionAction(
        revision,
        user=user,
        changed=changed,
        log_action=log_action,
        previous_revision=previous_revision,
    ).execute(skip_permission_checks=skip_permission_checks)
