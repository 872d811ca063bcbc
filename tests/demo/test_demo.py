"""The demo newsroom that `dateline demo` loads."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from dateline.core.models import NewsImage, SiteSettings
from dateline.demo.loader import SECTION_ORDER, DemoAlreadyLoaded, load_demo, read_content
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


def _being_translated() -> set:
    """The stories the demo leaves on the translation desk, part translated."""
    slugs = [
        story["slug"]
        for section in SECTION_ORDER
        for story in read_content(section)["stories"]
        if "desk" in story
    ]
    return set(ArticlePage.objects.filter(slug__in=slugs).values_list("translation_key", flat=True))


def test_every_language_has_the_same_number_of_stories():
    per_language = Counter(
        ArticlePage.objects.live()
        .exclude(translation_key__in=_being_translated())
        .values_list("locale__language_code", flat=True)
    )
    assert set(per_language) == set(LANGUAGES)
    assert len(set(per_language.values())) == 1


def test_every_story_is_translated_into_all_four_languages():
    by_key: dict = {}
    stories = ArticlePage.objects.exclude(translation_key__in=_being_translated())
    for key, code in stories.values_list("translation_key", "locale__language_code"):
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
    times = ArticlePage.objects.live().values_list("first_published_at", flat=True)
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


def test_the_translation_desk_shows_work_in_every_state():
    from dateline.news import translation_desk
    from dateline.news.models import TranslationAssignment

    languages = translation_desk.site_languages()
    sources = list(translation_desk.sources(languages[0]))
    states = Counter(
        (cell.locale.language_code, cell.state)
        for row in translation_desk.rows(sources, languages)
        for cell in row.cells
    )
    assert states[("ru", "draft")] == 1
    assert states[("hy", "missing")] == 1 and states[("az", "missing")] == 1
    assert states[("ru", "out-of-date")] == states[("az", "out-of-date")] == 1
    assert states[("ru", "published")] > 60

    assignments = TranslationAssignment.objects.select_related("assignee", "locale")
    assert {a.locale.language_code for a in assignments} == {"ru", "hy", "az"}
    assert any(a.overdue for a in assignments) and not all(a.overdue for a in assignments)
    # The demo's translators cannot sign in until someone gives them a password.
    assert not any(a.assignee.has_usable_password() for a in assignments)


def test_an_out_of_date_translation_shows_the_paragraph_the_source_gained():
    from dateline.news import translation_desk

    source = ArticlePage.objects.get(
        slug="sarin-valley-apple-growers-record-exports", locale__language_code="en"
    )
    russian = source.get_translations().get(locale__language_code="ru").specific
    followed = translation_desk.followed_revision(source, russian)
    parts = translation_desk.changes(
        translation_desk.text_of(followed.as_object()),
        translation_desk.text_of(source.live_revision.as_object()),
    )
    added = [part.new for part in parts if part.kind == "added"]
    assert len(added) == 1 and "storage fee" in added[0]
    assert source.updated_at is not None
