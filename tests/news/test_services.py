from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry

from dateline.core.leases import acquire_lease, release_lease
from dateline.news import services
from dateline.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def make_draft(section, slug="draft-story", title="A story for later") -> ArticlePage:
    return services.create_article(
        section,
        title=title,
        slug=slug,
        standfirst="Written now, published later.",
        paragraphs=["Body text."],
        publish_now=False,
    )


def test_ensure_site_is_idempotent_and_has_a_home_per_language(home):
    again = services.ensure_site()
    assert again.pk == home.pk
    codes = sorted(p.locale.language_code for p in home.get_translations(inclusive=True))
    assert codes == ["az", "en", "hy", "ru"]


def test_translating_an_article_links_it_to_the_original(world, locale):
    article = make_draft(world, slug="to-translate")
    services.publish(article)
    translation = services.translate_page(article, locale("ru"), title="Статья на русском")
    services.publish(translation)
    assert translation.translation_key == article.translation_key
    assert translation.get_parent().specific.locale.language_code == "ru"
    assert translation.url == "/ru/world/to-translate/"


def test_a_scheduled_article_goes_live_when_due_and_is_published_once(world):
    article = make_draft(world, slug="scheduled")
    services.schedule(article, timezone.now() + timedelta(hours=1))
    article.refresh_from_db()
    assert not article.live

    assert services.run_scheduled_publishing("worker-a") == 0
    article.refresh_from_db()
    assert not article.live

    # The hour passes.
    due = timezone.now() - timedelta(seconds=1)
    revision = article.latest_revision
    revision.approved_go_live_at = due
    revision.content["go_live_at"] = due.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])

    assert services.run_scheduled_publishing("worker-a") == 1
    assert services.run_scheduled_publishing("worker-b") == 0
    article.refresh_from_db()
    assert article.live
    publishes = PageLogEntry.objects.filter(
        page=article, action__in=["wagtail.publish", "wagtail.publish.scheduled"]
    )
    assert publishes.count() == 1


def test_a_runner_skips_while_another_holds_the_publishing_lease(world):
    assert acquire_lease(services.SCHEDULER_LEASE, "worker-a", timedelta(minutes=5))
    assert services.run_scheduled_publishing("worker-b") is None
    release_lease(services.SCHEDULER_LEASE, "worker-a")
    assert services.run_scheduled_publishing("worker-b") == 0


def test_an_expired_lease_can_be_taken_over():
    assert acquire_lease("job", "a", timedelta(seconds=-1))
    assert acquire_lease("job", "b", timedelta(minutes=1))
    assert not acquire_lease("job", "a", timedelta(minutes=1))
