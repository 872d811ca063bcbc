"""The demo newsroom that `dateline demo` loads."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from dateline.core.models import NewsImage, SiteSettings
from dateline.demo.loader import SECTION_ORDER, DemoAlreadyLoaded, load_demo
from dateline.news.models import ArticlePage, Author, HomePage, SectionPage

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "hy", "az"]


def test_every_language_has_a_live_home_page():
    homes = HomePage.objects.live().values_list("locale__language_code", flat=True)
    assert sorted(homes) == sorted(LANGUAGES)


def test_every_language_has_the_six_sections_in_order():
    for code in LANGUAGES:
        home = HomePage.objects.get(locale__language_code=code)
        assert [s.slug for s in home.sections()] == SECTION_ORDER


def test_every_section_has_at_least_ten_stories_in_every_language():
    counts = Counter(
        (page.locale.language_code, page.get_parent().slug)
        for page in ArticlePage.objects.live().select_related("locale")
    )
    for code in LANGUAGES:
        for slug in SECTION_ORDER:
            assert counts[(code, slug)] >= 10, (code, slug)


def test_every_language_has_the_same_number_of_stories():
    per_language = Counter(
        ArticlePage.objects.live().values_list("locale__language_code", flat=True)
    )
    assert set(per_language) == set(LANGUAGES)
    assert len(set(per_language.values())) == 1


def test_every_story_is_translated_into_all_four_languages():
    by_key: dict = {}
    for key, code in ArticlePage.objects.values_list("translation_key", "locale__language_code"):
        by_key.setdefault(key, set()).add(code)
    assert by_key
    for codes in by_key.values():
        assert codes == set(LANGUAGES)


def test_translations_are_real_translations_not_copies():
    for english in ArticlePage.objects.filter(locale__language_code="en")[:10]:
        for translation in english.get_translations():
            assert translation.title != english.title
            assert translation.standfirst != english.standfirst


def test_every_story_has_a_lead_picture_with_its_file():
    missing = ArticlePage.objects.filter(lead_image__isnull=True)
    assert not missing.exists()
    for image in NewsImage.objects.filter(
        pk__in=ArticlePage.objects.values_list("lead_image", flat=True)
    ):
        assert image.file.storage.exists(image.file.name)
        assert image.width > 0 and image.height > 0


def test_every_story_has_a_byline_and_tags():
    for story in ArticlePage.objects.all():
        assert story.bylines.exists(), story.url
        assert story.tags.exists(), story.url


def test_some_stories_carry_a_source_attribution():
    with_source = ArticlePage.objects.exclude(source="")
    assert with_source.filter(locale__language_code="en").count() >= 6


def test_every_author_is_written_in_every_language():
    per_language = Counter(Author.objects.values_list("locale__language_code", flat=True))
    assert set(per_language) == set(LANGUAGES)
    assert len(set(per_language.values())) == 1


def test_publish_times_are_spread_over_more_than_a_week():
    times = ArticlePage.objects.values_list("first_published_at", flat=True)
    assert max(times) - min(times) > timezone.timedelta(days=7)
    assert max(times) <= timezone.now()


def test_the_demo_sets_the_newsroom_time_zone_and_texts():
    site_settings = SiteSettings.load()
    assert site_settings.time_zone == "Asia/Yerevan"
    assert sorted(site_settings.texts.values_list("language", flat=True)) == sorted(LANGUAGES)


def test_loading_the_demo_again_is_refused_and_changes_nothing():
    before = (ArticlePage.objects.count(), SectionPage.objects.count(), Author.objects.count())
    with pytest.raises(DemoAlreadyLoaded):
        load_demo()
    after = (ArticlePage.objects.count(), SectionPage.objects.count(), Author.objects.count())
    assert after == before


def test_every_demo_author_has_a_biography_in_every_language(client):
    from dateline.news.models import Author

    for author in Author.objects.select_related("locale"):
        assert author.bio, f"{author.slug} in {author.locale.language_code} has no biography"
    page = client.get("/hy/authors/narine-galstyan/").content.decode()
    assert "Լուսաբանում է գագաթնաժողովները" in page
