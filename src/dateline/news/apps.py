from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "dateline.news"
    label = "news"
    verbose_name = "News"

    def ready(self) -> None:
        from . import events

        # Before any app above news connects its own receivers: a change retires the
        # shared fragments first, and those apps may read through them (search reads the
        # remembered "is any page private" answer).
        events.connect()
        register_draft_privacy()


def register_draft_privacy() -> None:
    """Every page listing of the admin asks the policy registered for Page; this one
    leaves out drafts the user may not see (news/permissions.py)."""
    from wagtail.models import Page
    from wagtail.permissions import register_permission_policy

    from .permissions import DraftPrivacyPagePermissionPolicy

    register_permission_policy(Page, DraftPrivacyPagePermissionPolicy(Page))
