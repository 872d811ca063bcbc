"""Loads the demo newsroom: four languages, six sections, stories written for the demo."""

from __future__ import annotations

import functools
import io
import json
from datetime import timedelta
from importlib import resources

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Locale, PageLogEntry, Revision
from wagtail.rich_text import RichText

from dateline.core.models import NewsImage, SiteSettings, SiteText
from dateline.news import breaking, desks, live, services
from dateline.news.models import ArticlePage, Author, LiveBlogPage, SectionPage, StandardPage
from dateline.newsletters.services import ensure_default_lists

from .reading import simulate_reading
from .scenes import draw_scene
from .wire import write_demo_sources

SECTION_ORDER = ["world", "politics", "economy", "region", "analytics", "sport"]


class DemoAlreadyLoaded(Exception):
    pass


def read_content(name: str) -> dict:
    text = resources.files("dateline.demo").joinpath("content", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def load_demo(simulate_readers: bool = True) -> dict[str, int]:
    """Write the demo newsroom into an empty site, and with `simulate_readers` a day of
    simulated reading (demo/reading.py). Refuses to touch a site with stories."""
    if ArticlePage.objects.exists():
        raise DemoAlreadyLoaded("The site already has stories; the demo was not loaded again.")
    with transaction.atomic():
        home = services.ensure_site()
        desks.ensure_language_desks()
        ensure_default_lists()
        locales = {locale.language_code: locale for locale in services.site_locales()}
        _write_site_settings(locales)
        authors = _write_authors(locales)
        sections = _write_sections(home, locales)
        _write_pages(home, locales)
        articles = 0
        now = timezone.now()
        for slug in SECTION_ORDER:
            for story in read_content(slug)["stories"]:
                articles += _write_story(story, sections[slug], authors, locales, now)
        for slug in SECTION_ORDER:
            for story in read_content(slug)["stories"]:
                _choose_related(story, locales)
        staff = _write_desk_staff(locales)
        for slug in SECTION_ORDER:
            for story in read_content(slug)["stories"]:
                _stage_translation_work(story, staff, locales, now)
        mark_demo_breaking()
    write_demo_sources()
    views = simulate_reading() if simulate_readers else 0
    return {
        "languages": len(locales),
        "sections": len(sections),
        "articles": articles,
        "authors": len(authors),
        "simulated views": views,
    }


def _write_site_settings(locales: dict[str, Locale]) -> None:
    site_settings = SiteSettings.load()
    site_settings.time_zone = "Asia/Yerevan"
    site_settings.x_url = "https://x.com/dateline_demo"
    site_settings.youtube_url = "https://www.youtube.com/@dateline_demo"
    site_settings.instagram_url = "https://www.instagram.com/dateline_demo"
    site_settings.facebook_url = "https://www.facebook.com/dateline_demo"
    site_settings.telegram_url = "https://t.me/dateline_demo"
    site_settings.app_store_url = "https://apps.apple.com/app/id0000000000"
    site_settings.google_play_url = (
        "https://play.google.com/store/apps/details?id=news.dateline.demo"
    )
    texts = read_content("site")["texts"]
    site_settings.texts = [
        SiteText(language=code, **texts.get(code, texts["en"])) for code in locales
    ]
    site_settings.save()


def _write_authors(locales: dict[str, Locale]) -> dict[str, Author]:
    default_code = settings.LANGUAGE_CODE
    authors = {}
    for entry in read_content("authors")["authors"]:
        author = Author.objects.create(
            locale=locales[default_code], slug=entry["slug"], **entry[default_code]
        )
        for code, locale in locales.items():
            if code != default_code and code in entry:
                translation = author.copy_for_translation(locale)
                translation.name = entry[code]["name"]
                translation.role = entry[code]["role"]
                translation.bio = entry[code].get("bio", "")
                translation.save()
        authors[entry["slug"]] = author
    return authors


def _write_sections(home, locales: dict[str, Locale]) -> dict[str, dict[str, SectionPage]]:
    default_code = settings.LANGUAGE_CODE
    by_slug = {entry["slug"]: entry for entry in read_content("sections")["sections"]}
    sections: dict[str, dict[str, SectionPage]] = {}
    for slug in SECTION_ORDER:
        entry = by_slug[slug]
        original = services.create_section(
            home,
            title=entry[default_code]["name"],
            slug=slug,
            description=entry[default_code]["description"],
        )
        sections[slug] = {default_code: original}
        for code, locale in locales.items():
            if code == default_code:
                continue
            translation = services.translate_page(
                original,
                locale,
                title=entry[code]["name"],
                description=entry[code]["description"],
            )
            sections[slug][code] = services.publish(translation)
    return sections


def _write_pages(home, locales: dict[str, Locale]) -> None:
    """About and Contacts in every language, linked in the footer."""
    default_code = settings.LANGUAGE_CODE
    for entry in read_content("pages")["pages"]:
        original = StandardPage(
            slug=entry["slug"], locale=home.locale, **_page_fields(entry[default_code])
        )
        home.add_child(instance=original)
        services.publish(original)
        for code, locale in locales.items():
            if code != default_code and code in entry:
                translation = services.translate_page(original, locale, **_page_fields(entry[code]))
                services.publish(translation)


def _page_fields(version: dict) -> dict:
    return {
        "title": version["title"],
        "search_description": version["description"],
        "body": services.text_to_rich_text(version["body"]),
    }


def _body(paragraphs: list[str]) -> list[tuple[str, RichText]]:
    return [("paragraph", RichText(services.text_to_rich_text([p]))) for p in paragraphs]


@functools.cache
def _illustrations() -> dict:
    return read_content("illustrations")


def illustration_caption(scene: str, code: str) -> str:
    """What the demo's drawing shows, in the language `code`, marked as an illustration."""
    captions = _illustrations()
    label = captions["label"].get(code, captions["label"]["en"])
    texts = captions["scenes"][scene]
    return label.format(scene=texts.get(code, texts["en"]))


def _story_body(
    version: dict, code: str, gallery: list[tuple[NewsImage, str]]
) -> list[tuple[str, object]]:
    """The paragraphs, with the story's gallery after the second and its fact box last."""
    body: list[tuple[str, object]] = _body(version["body"])
    if "gallery" in version and gallery:
        pictures = [
            {"image": image, "caption": illustration_caption(scene, code)}
            for image, scene in gallery
        ]
        body.insert(2, ("gallery", {"title": version["gallery"]["title"], "pictures": pictures}))
    if "embed" in version:
        body.append(("embed", version["embed"]))
    if "facts" in version:
        facts = "".join(f"<li>{escape(fact)}</li>" for fact in version["facts"]["items"])
        fact_box = {"title": version["facts"]["title"], "facts": RichText(f"<ul>{facts}</ul>")}
        body.append(("fact_box", fact_box))
    return body


def _drawn_picture(scene: str, seed: str, title: str) -> NewsImage:
    name = f"{seed}.jpg"
    image = NewsImage(title=title[:255], credit="Dateline")
    image.file.save(name, ImageFile(io.BytesIO(draw_scene(scene, seed)), name=name), save=False)
    image.save()
    return image


def _gallery_pictures(story: dict) -> list[tuple[NewsImage, str]]:
    return [
        (
            _drawn_picture(scene, f"{story['slug']}-{number}", illustration_caption(scene, "en")),
            scene,
        )
        for number, scene in enumerate(story.get("gallery_pictures", []), start=1)
    ]


def _article_fields(
    version: dict, code: str, scene: str, gallery: list[tuple[NewsImage, str]] = ()
) -> dict:
    return {
        "title": version["headline"],
        "standfirst": version["standfirst"],
        "body": _story_body(version, code, list(gallery)),
        "lead_image_caption": illustration_caption(scene, code),
        "source": version["source"],
    }


def _write_story(story, sections, authors, locales, now) -> int:
    default_code = settings.LANGUAGE_CODE
    scene = story["picture"]
    image = _drawn_picture(scene, story["slug"], story["en"]["headline"])
    gallery = _gallery_pictures(story)
    published_at = now - timedelta(hours=story["age_hours"], minutes=len(story["slug"]) % 50)
    original = services.create_article(
        sections[default_code],
        slug=story["slug"],
        lead_image=image,
        first_published_at=published_at,
        authors=[authors[story["author"]]],
        tags=story[default_code]["tags"],
        kind=LiveBlogPage if "live" in story else ArticlePage,
        **_article_fields(story[default_code], default_code, scene, gallery),
    )
    versions = {default_code: original}
    for code, locale in locales.items():
        if code == default_code or code not in story:
            continue
        translation = original.copy_for_translation(locale)
        for name, value in _article_fields(story[code], code, scene, gallery).items():
            setattr(translation, name, value)
        translation.first_published_at = published_at + timedelta(minutes=20)
        translation.tags.set(story[code]["tags"])
        versions[code] = services.publish(translation)
    _note_later_changes(story, versions, published_at)
    if "live" in story:
        _post_live_updates(story, versions, authors[story["author"]], now)
    return len(versions)


def _post_live_updates(story: dict, versions: dict, author: Author, now) -> None:
    """Each language's own stream of updates, at the times the demo gives (minutes before
    now, or after the blog opened), and the end of coverage where the demo ended it."""
    coverage = story["live"]
    for code, blog in versions.items():
        byline = author.get_translation_or_none(blog.locale) or author
        for update in coverage["updates"]:
            posted = live.post_update(
                blog,
                headline=update[code]["headline"],
                body="".join(f"<p>{escape(paragraph)}</p>" for paragraph in update[code]["body"]),
                key_event=update.get("key_event", False),
                pinned=update.get("pinned", False),
                byline=byline.name,
            )
            if "minutes_ago" in update:
                at = now - timedelta(minutes=update["minutes_ago"])
            else:
                at = blog.first_published_at + timedelta(minutes=update["minutes_after"])
            type(posted).objects.filter(pk=posted.pk).update(posted_at=at)
        if "ended_minutes_after" in coverage:
            live.end_coverage(blog)
            ended = blog.first_published_at + timedelta(minutes=coverage["ended_minutes_after"])
            LiveBlogPage.objects.filter(pk=blog.pk).update(coverage_ended_at=ended)


def _note_later_changes(story: dict, versions: dict, published_at) -> None:
    """A material update or a correction made some time after publishing, where the demo
    story has one, in each language."""
    for code, version in versions.items():
        if "updated_hours_after" in story:
            version.updated_at = published_at + timedelta(hours=story["updated_hours_after"])
            services.publish(version)
        if "correction" in story and code in story["correction"]:
            correction = story["correction"]
            services.note_correction(
                version,
                kind=correction["kind"],
                text=correction[code],
                noted_at=published_at + timedelta(hours=correction["hours_after"]),
            )


def _choose_related(story: dict, locales: dict[str, Locale]) -> None:
    """The editor's related stories, where the demo story names some, in each language."""
    for locale in locales.values():
        version = ArticlePage.objects.filter(slug=story["slug"], locale=locale).first()
        chosen = [
            ArticlePage.objects.filter(slug=slug, locale=locale).first()
            for slug in story.get("related", [])
        ]
        if version is not None and all(chosen) and chosen:
            services.choose_related(version, chosen)


def _write_desk_staff(locales: dict[str, Locale]) -> dict[str, AbstractBaseUser]:
    """Translators on the language desks, for the demo's assignments. They cannot sign in
    until an administrator gives them a password (docs/editors.md)."""
    staff = {}
    for entry in read_content("newsroom")["desk_staff"]:
        user, created = get_user_model().objects.get_or_create(
            username=entry["username"],
            defaults={"first_name": entry["first_name"], "last_name": entry["last_name"]},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=desks.desk_name(locales[entry["desk"]])))
        staff[entry["username"]] = user
    return staff


def _stage_translation_work(story: dict, staff: dict, locales: dict[str, Locale], now) -> None:
    """Translations in every state the translation desk knows: a draft under way, one
    missing, one out of date because the source gained a paragraph after it was
    translated, each with whom it is assigned to and by when."""
    desk, update = story.get("desk", {}), story.get("source_update")
    if not desk and not update:
        return
    source = ArticlePage.objects.get(slug=story["slug"], locale=locales[settings.LANGUAGE_CODE])
    assignments = dict(desk.get("assignments", {}))
    for code, version in desk.get("drafts", {}).items():
        translator = staff[assignments[code]["to"]] if code in assignments else None
        draft = services.translate_page(source, locales[code], user=translator)
        for name, value in _article_fields(version, code, story["picture"]).items():
            setattr(draft, name, value)
        draft.tags.set(version["tags"])
        draft.save_revision(user=translator, log_action=True)
        draft.save()
    if update:
        _add_to_source_after_translation(source, update)
        assignments.update(update.get("assignments", {}))
    for code, assignment in assignments.items():
        desks.assign(
            source,
            locales[code],
            staff[assignment["to"]],
            due_at=now + timedelta(minutes=assignment["due_minutes"]),
            note=assignment.get("note", ""),
        )


def _add_to_source_after_translation(source: ArticlePage, update: dict) -> None:
    """The source was translated twenty minutes after it was published and gained a
    paragraph later: its history says so, so the desk marks the translations out of
    date and shows the new paragraph as what changed."""
    published_at = source.first_published_at
    translated_at = published_at + timedelta(minutes=20)
    updated_at = published_at + timedelta(hours=update["hours_after"])
    first_publication = PageLogEntry.objects.filter(page=source, action="wagtail.publish")
    Revision.objects.filter(pk__in=first_publication.values("revision_id")).update(
        created_at=published_at
    )
    first_publication.update(timestamp=published_at)
    for translation in source.get_translations():
        ArticlePage.objects.filter(pk=translation.pk).update(last_published_at=translated_at)
        PageLogEntry.objects.filter(page=translation, action="wagtail.publish").update(
            timestamp=translated_at
        )
    source.refresh_from_db()
    source.body.append(("paragraph", RichText(f"<p>{escape(update['add_paragraph'])}</p>")))
    source.updated_at = updated_at
    revision = services.publish(source).latest_revision
    Revision.objects.filter(pk=revision.pk).update(created_at=updated_at)
    PageLogEntry.objects.filter(page=source, revision=revision).update(timestamp=updated_at)
    ArticlePage.objects.filter(pk=source.pk).update(last_published_at=updated_at)


def mark_demo_breaking() -> int:
    """Show the demo's breaking story in every language, for as long as a marking may last;
    `dateline setup --demo` marks it again once it has ended, so the demo always shows the
    banner. Returns how many languages were marked."""
    marked = 0
    for slug in SECTION_ORDER:
        for story in read_content(slug)["stories"]:
            for code, label in story.get("breaking", {}).items():
                version = (
                    ArticlePage.objects.live()
                    .filter(slug=story["slug"], locale__language_code=code)
                    .first()
                )
                if version is None or breaking.shown_marks().filter(story=version).exists():
                    continue
                until = timezone.now() + breaking.LONGEST_DURATION - timedelta(minutes=1)
                breaking.mark_breaking(version, label=label, expires_at=until)
                marked += 1
    return marked
