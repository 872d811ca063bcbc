"""First run and every run after: bring the database and files up to date."""

from __future__ import annotations

import secrets
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

ADMIN_USERNAME = "admin"


def ensure_admin(out: TextIO) -> None:
    """Create an admin account once, printing its generated password that one time."""
    users = get_user_model()
    if users.objects.filter(is_superuser=True).exists():
        return
    password = secrets.token_urlsafe(12)
    users.objects.create_superuser(ADMIN_USERNAME, email="", password=password)
    out.write(
        f"\nAn admin account was created for {settings.DATELINE_BASE_URL.rstrip('/')}/admin/\n"
        f"  user:     {ADMIN_USERNAME}\n"
        f"  password: {password}\n"
        "This password is shown only now: keep it, or change it in the admin.\n\n"
    )


def ensure_search_index(out: TextIO) -> None:
    """A site that had stories before search was installed gets them indexed once."""
    from dateline.news.models import ArticlePage
    from dateline.search.models import SearchEntry

    if not SearchEntry.objects.exists() and ArticlePage.objects.live().exists():
        out.write("Indexing the stories for search…\n")
        call_command("search_reindex", stdout=out)


def prepare_site(with_demo: bool, out: TextIO) -> None:
    from dateline.news.desks import ensure_language_desks
    from dateline.news.models import ArticlePage
    from dateline.news.services import ensure_site
    from dateline.newsletters.services import ensure_default_lists
    from dateline.webapp.push import ensure_keys

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    ensure_site()
    ensure_language_desks()
    ensure_default_lists()
    ensure_keys()
    if with_demo and not ArticlePage.objects.exists():
        from dateline.demo.loader import load_demo

        out.write("Loading the demo content (a minute or two the first time)…\n")
        counts = load_demo()
        out.write(
            f"Demo content: {counts['articles']} articles in {counts['languages']} languages, "
            f"and a day of {counts['simulated views']} simulated readers' views.\n"
        )
    elif with_demo:
        from dateline.demo.loader import mark_demo_breaking

        mark_demo_breaking()
    ensure_search_index(out)
    ensure_admin(out)
    retire_cached_output()


def retire_cached_output() -> None:
    """A new release may change templates and static file addresses: no page or fragment
    cached from the old ones may be served once it is set up."""
    from dateline.news import events

    events.raise_change(events.ContentChange(events.RELEASE))
