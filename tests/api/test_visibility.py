"""Only live, public articles, anywhere in the API: drafts and pages behind a view
restriction never leak, through listings, search, sync, translations or paths."""

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from dateline.news import services

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarquux"  # a word no demo story has


def everywhere(api, article, since, lang="en") -> dict:
    """Where an article could show up in the API (lists: what came after `since`)."""
    since = since.isoformat()
    listed = [i["id"] for i in api("articles", lang=lang, published_after=since).data["items"]]
    synced = api("articles", lang=lang, updated_since=since, limit=100).data
    return {
        "list": article.pk in listed,
        "detail": api(f"articles/{article.pk}").status_code == 200,
        "path": api(
            "articles/by-path", path=article.url_path.replace("/home/", f"/{lang}/", 1)
        ).status_code
        == 200,
        "search": article.pk
        in [i["id"] for i in api("articles", lang=lang, q=SECRET).data["items"]],
        "sync": article.pk in [item["id"] for item in synced["items"]],
    }


def test_a_draft_is_nowhere(api, desk, write):
    since = timezone.now()
    draft = write(desk(), "draft", headline=f"{SECRET} draft", publish=False)
    assert not any(everywhere(api, draft, since).values())


def test_an_unpublished_article_is_nowhere_but_in_tombstones(api, desk, write):
    since = timezone.now()
    story = write(desk(), "gone", headline=f"{SECRET} story")
    assert all(everywhere(api, story, since).values())
    story.unpublish()
    assert not any(everywhere(api, story, since).values())


def test_a_private_section_hides_its_articles_everywhere(api, desk, write):
    since = timezone.now()
    section = desk()
    story = write(section, "private", headline=f"{SECRET} private")
    assert all(everywhere(api, story, since).values())
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert not any(everywhere(api, story, since).values())
    sections = [s["slug"] for s in api("sections", lang="en").data["items"]]
    assert section.slug not in sections


def test_translation_links_name_only_live_public_translations(api, article, locale):
    russian = article.get_translation(locale("ru"))
    armenian = article.get_translation(locale("hy"))
    russian.unpublish()
    PageViewRestriction.objects.create(
        page=armenian, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    languages = [t["lang"] for t in api(f"articles/{article.pk}").data["translations"]]
    assert languages == ["az"]


def test_a_translation_still_in_draft_is_not_linked(api, desk, write, locale):
    story = write(desk(), "to-translate", headline="To translate")
    draft = services.translate_page(story, locale("ru"), title="Перевод")
    assert not draft.live
    assert api(f"articles/{story.pk}").data["translations"] == []
    services.publish(draft)
    assert [t["id"] for t in api(f"articles/{story.pk}").data["translations"]] == [draft.pk]
