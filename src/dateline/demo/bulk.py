"""Scale data: tens of thousands of stories in minutes, for measuring the site at size.

`add_stories` writes rows in bulk instead of saving page by page (Wagtail's `add_child`
locks the parent and rewrites it per page, which takes hours at 100,000): it computes
each story's tree path and URL path itself, inserts the page rows and the article rows
in batches, then the bylines, tags and search index entries, and finally sets each
section's `numchild`. The tree it leaves is one `fixtree` finds clean, and the stories
are ordinary pages that editors can open, edit and publish.

The stories are made of the demo's own words in each language, one story in all four
languages (linked as translations), spread over every section and the past months."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page
from wagtail.rich_text import RichText

from dateline.api.models import ArticleChange
from dateline.core import fragments
from dateline.news.models import ArticleAuthor, ArticlePage, ArticleTag, Author, SectionPage
from dateline.search.index import ts_config
from dateline.search.models import SearchEntry, time_key
from dateline.search.stemmers import stemmed_text, stemmer_for, words

from .loader import SECTION_ORDER, read_content

BATCH = 500
SPREAD = timedelta(days=365)


class Vocabulary:
    """Sentences in one language, drawn from the words of the demo's stories."""

    def __init__(self, language: str, rng: random.Random) -> None:
        self.rng = rng
        self.words: list[str] = []
        self.tags: list[str] = []
        for slug in SECTION_ORDER:
            for story in read_content(slug)["stories"]:
                version = story.get(language)
                if version:
                    self.words += words(" ".join([version["headline"], *version["body"]]))
                    self.tags += version["tags"]
        self.tags = sorted(set(self.tags))

    def sentence(self, count: int) -> str:
        text = " ".join(self.rng.choices(self.words, k=count))
        return text[:1].upper() + text[1:] + "."


def add_stories(count: int, *, seed: int = 6, progress: Callable[[int], None] | None = None) -> int:
    """Add `count` stories (translations count one each) to the loaded demo site.

    Returns how many were written. Stories are spread over every language and section."""
    rng = random.Random(seed)
    sections = _sections_by_language()
    languages = list(sections)
    vocabularies = {code: Vocabulary(code, rng) for code in languages}
    authors = _authors_by_language(languages)
    captions = _picture_captions()
    images = sorted({image for image, _code in captions}) or [None]
    tags = _tags_by_language(vocabularies)
    content_type = ContentType.objects.get_for_model(ArticlePage)
    next_child = {
        section.pk: _next_step(section)
        for by_slug in sections.values()
        for section in by_slug.values()
    }
    now = timezone.now()
    run = uuid.uuid4().hex[:6]

    written = 0
    story = 0
    writer = _BatchWriter(sections)
    try:
        while written < count:
            batch: list[tuple[ArticlePage, str, list[int], int, dict]] = []
            while len(batch) < BATCH and written + len(batch) < count:
                slug = SECTION_ORDER[story % len(SECTION_ORDER)]
                translation_key = uuid.uuid4()
                published_at = now - SPREAD * rng.random() - timedelta(hours=2)
                author = rng.randrange(len(authors[languages[0]]))
                for code in languages:
                    if written + len(batch) >= count:
                        break
                    section = sections[code][slug]
                    article = _article(
                        vocabularies[code],
                        section,
                        next_child,
                        slug=f"story-{run}-{story}",
                        locale_id=section.locale_id,
                        translation_key=translation_key,
                        published_at=published_at + timedelta(minutes=20 * (code != languages[0])),
                        lead_image_id=(image := rng.choice(images)),
                        lead_image_caption=captions.get((image, code), ""),
                        content_type=content_type,
                    )
                    chosen_tags = rng.sample(tags[code], k=min(len(tags[code]), rng.randint(1, 4)))
                    terms = _search_terms(article, code)
                    batch.append((article, code, chosen_tags, authors[code][author], terms))
                story += 1
            writer.write(batch)
            written += len(batch)
            if progress:
                progress(written)
    finally:
        writer.finish()

    with transaction.atomic():
        for by_slug in sections.values():
            for section in by_slug.values():
                Page.objects.filter(pk=section.pk).update(
                    numchild=Page.objects.child_of(section).count()
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if not connection.in_atomic_block:
                # Marks the new rows visible to all, so that the admin's listings read
                # a section's stories from the page tree's index alone.
                cursor.execute("VACUUM wagtailcore_page")
            cursor.execute("ANALYZE")
    from dateline.search.index import optimize

    optimize()
    # Listings, kept summaries and kept searches were made before these stories existed.
    fragments.retire_fragments(structure=False)
    return written


class _BatchWriter:
    """Writes each batch in a transaction of its own.

    On PostgreSQL every row is made here, with page keys taken from the page sequence
    beforehand, and goes in through COPY. Run on its own (not inside a caller's
    transaction, which other connections could not see), the command hands the rows to two
    threads with a connection each, stories on one and their search entries on the other,
    so that the database takes one batch while the next is made. Python and the database
    took turns before, about half of the time each: a profile of 20,000 stories spent a
    third of it waiting for the search entries' COPY (three fields' words made into a
    search document, and its index updated). SQLite writes in place, through the ORM."""

    def __init__(self, sections: dict[str, dict[str, SectionPage]]) -> None:
        self.sections = sections
        self.copying = connection.vendor == "postgresql"
        alone = self.copying and not connection.in_atomic_block
        self.pools = [ThreadPoolExecutor(max_workers=1) for _ in range(2)] if alone else []
        self.pending: list[Future] = []

    def write(self, batch: list) -> None:
        if not self.copying:
            with transaction.atomic():
                _write(batch, self.sections)
            return
        stories, search = _rows(batch, self.sections, _page_keys(len(batch)))
        if not self.pools:
            _copy_tables(stories + search)
            return
        self._wait()
        stories_written = self.pools[0].submit(_copy_tables, stories)
        # A search entry may only be committed once its story is: the check of its key
        # does not wait for the other connection's rows, it finds them missing.
        self.pending = [
            stories_written,
            self.pools[1].submit(_copy_tables, search, stories_written),
        ]

    def finish(self) -> None:
        try:
            self._wait()
        finally:
            for pool in self.pools:
                pool.submit(_close_connection).result()
                pool.shutdown()

    def _wait(self) -> None:
        pending, self.pending = self.pending, []
        for future in pending:
            future.result()


def _close_connection() -> None:
    connection.close()


def _sections_by_language() -> dict[str, dict[str, SectionPage]]:
    found: dict[str, dict[str, SectionPage]] = {}
    for section in SectionPage.objects.select_related("locale").order_by("locale_id", "path"):
        found.setdefault(section.locale.language_code, {})[section.slug] = section
    if not found or any(set(SECTION_ORDER) - set(by_slug) for by_slug in found.values()):
        raise LookupError("Load the demo first: every language needs the demo's sections.")
    return found


def _authors_by_language(languages: list[str]) -> dict[str, list[int]]:
    """For each language, the author ids in the same order (one person per position)."""
    originals = list(Author.objects.filter(locale__language_code=languages[0]).order_by("pk"))
    versions = {
        (author.translation_key, author.locale.language_code): author.pk
        for author in Author.objects.select_related("locale")
    }
    return {
        code: [versions.get((a.translation_key, code), a.pk) for a in originals]
        for code in languages
    }


def _tags_by_language(vocabularies: dict[str, Vocabulary]) -> dict[str, list[int]]:
    result = {}
    for code, vocabulary in vocabularies.items():
        ids = []
        for name in vocabulary.tags[:60]:
            tag = Tag.objects.filter(name=name).first()
            if tag is None:
                tag = Tag.objects.create(name=name, slug=_unique_tag_slug(name))
            ids.append(tag.pk)
        result[code] = ids
    return result


def _unique_tag_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True) or "tag"
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _next_step(section: Page) -> int:
    last = section.get_children().order_by("-path").values_list("path", flat=True).first()
    return Page._str2int(last[-Page.steplen :]) + 1 if last else 1


def _picture_captions() -> dict[tuple[int, str], str]:
    """The demo's drawings with what each shows in each language, so that a story added
    in bulk carries a drawing under a caption that describes it. Read from the site's first
    stories (the demo's own), so a second bulk run does not read a million rows."""
    shown = ArticlePage.objects.filter(lead_image__isnull=False).exclude(lead_image_caption="")
    shown = shown.order_by("pk")[:2000]
    return {
        (image, code): caption
        for image, code, caption in shown.values_list(
            "lead_image_id", "locale__language_code", "lead_image_caption"
        )
    }


def _article(
    vocabulary: Vocabulary,
    section: SectionPage,
    next_child: dict[int, int],
    *,
    slug: str,
    locale_id: int,
    translation_key: uuid.UUID,
    published_at: datetime,
    lead_image_id: int | None,
    lead_image_caption: str,
    content_type: ContentType,
) -> ArticlePage:
    step = next_child[section.pk]
    next_child[section.pk] = step + 1
    title = vocabulary.sentence(vocabulary.rng.randint(6, 11))[:-1]
    return ArticlePage(
        path=Page._get_path(section.path, section.depth + 1, step),
        depth=section.depth + 1,
        numchild=0,
        title=title,
        draft_title=title,
        slug=slug,
        url_path=f"{section.url_path}{slug}/",
        content_type=content_type,
        live=True,
        has_unpublished_changes=False,
        first_published_at=published_at,
        last_published_at=published_at,
        latest_revision_created_at=None,
        locale_id=locale_id,
        translation_key=translation_key,
        standfirst=vocabulary.sentence(vocabulary.rng.randint(18, 30)),
        lead_image_id=lead_image_id,
        lead_image_caption=lead_image_caption,
        body=[
            ("paragraph", RichText(f"<p>{vocabulary.sentence(vocabulary.rng.randint(30, 60))}</p>"))
            for _ in range(vocabulary.rng.randint(3, 6))
        ],
        source="",
    )


def _write(batch: list[tuple[ArticlePage, str, list[int], int, dict]], sections) -> None:
    """Insert one batch through the ORM (SQLite): page rows, then article rows, bylines,
    tags, index entries and the change log."""
    articles = [article for article, *_ in batch]
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    pages = Page.objects.bulk_create([_page_row(article, page_fields) for article in articles])
    for article, page in zip(articles, pages, strict=True):
        article.pk = article.id = article.page_ptr_id = page.pk
    article_fields = [f for f in ArticlePage._meta.local_concrete_fields]
    for start in range(0, len(articles), 100):
        ArticlePage._base_manager._insert(
            articles[start : start + 100], fields=article_fields, using=connection.alias
        )
    for model, records in _records(batch, sections).items():
        model.objects.bulk_create([model(**record) for record in records])


def _records(batch: list, sections) -> dict[type[models.Model], list[dict]]:
    """The bylines, tags, change log (each story changed when it was published) and search
    entries of a batch whose stories have their keys, as plain values by column."""
    section_ids = {
        (code, section.path): section.pk
        for code, by_slug in sections.items()
        for section in by_slug.values()
    }
    indexed_at = timezone.now()
    return {
        ArticleAuthor: [
            {"sort_order": 0, "article_id": article.pk, "author_id": author}
            for article, _code, _tags, author, _terms in batch
        ],
        ArticleTag: [
            {"tag_id": tag, "content_object_id": article.pk}
            for article, _code, tag_ids, _author, _terms in batch
            for tag in tag_ids
        ],
        ArticleChange: [
            {
                "page_id": article.pk,
                "language": code,
                "changed_at": article.last_published_at,
                "public": True,
            }
            for article, code, _tags, _author, _terms in batch
        ],
        SearchEntry: [
            {
                "page_id": article.pk,
                "time_key": time_key(article.first_published_at, article.pk),
                "section_id": section_ids[(code, article.path[: -Page.steplen])],
                "indexed_at": indexed_at,
                **terms,
            }
            for article, code, _tags, _author, terms in batch
        ],
    }


def _page_keys(count: int) -> list[int]:
    """`count` new page keys from PostgreSQL's page sequence, as an insert would take them."""
    table = Page._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return sorted(key for (key,) in cursor.fetchall())


CopyTable = tuple[str, list[tuple]]


def _rows(batch: list, sections, keys: list[int]) -> tuple[list[CopyTable], list[CopyTable]]:
    """Every row of one batch, made ready for COPY: the stories' (page, article, byline, tag
    and change-log rows, in that order) and their search entries'. The ORM's bulk insert
    sends each column as an array that the driver quotes in Python, which took half the
    time of adding stories with their long bodies."""
    articles = [article for article, *_ in batch]
    for article, key in zip(articles, keys, strict=True):
        article.pk = article.id = article.page_ptr_id = key
    records = _records(batch, sections)
    stories = [
        _copy_objects(Page, articles, Page._meta.concrete_fields),
        _copy_objects(ArticlePage, articles, ArticlePage._meta.local_concrete_fields),
        *(_copy_records(model, records[model]) for model in (ArticleAuthor, ArticleTag)),
        _copy_records(ArticleChange, records[ArticleChange]),
    ]
    return stories, [_copy_records(SearchEntry, records[SearchEntry])]


def _copy_statement(model: type[models.Model], fields) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    return f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"


def _copy_objects(model: type[models.Model], objects: list, fields) -> CopyTable:
    """Rows of model objects, each value prepared by its field as a save would."""
    database = connections[connection.alias]  # not the per-thread proxy for every value
    rows = [
        tuple(field.get_db_prep_save(field.pre_save(item, True), database) for field in fields)
        for item in objects
    ]
    return _copy_statement(model, fields), rows


def _copy_records(model: type[models.Model], records: list[dict]) -> CopyTable:
    """Rows of plain values (numbers, text, times), by the model's own columns but an
    automatic key, which the table numbers itself."""
    fields = [
        field
        for field in model._meta.local_concrete_fields
        if not isinstance(field, models.AutoField)
    ]
    names = [field.attname for field in fields]
    rows = [tuple(record[name] for name in names) for record in records]
    return _copy_statement(model, fields), rows


def _copy_tables(tables: list[CopyTable], commit_after: Future | None = None) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement, rows in tables:
                with cursor.cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(row)
        if commit_after is not None:
            commit_after.result()


def _page_row(article: ArticlePage, fields) -> Page:
    return Page(**{field.attname: getattr(article, field.attname) for field in fields})


def _search_terms(article: ArticlePage, language: str) -> dict:
    """A story's search entry but for its keys, which are known only once it is written."""
    body = "\n".join(str(block.value.source) for block in article.body)
    body = body.replace("<p>", "").replace("</p>", "")
    lower = stemmer_for(language, stemming=False)
    return dict(
        language=language,
        ts_config=ts_config(language),
        published_at=article.first_published_at,
        headline=article.title,
        standfirst=article.standfirst,
        body=body,
        headline_words=" ".join(lower(word) for word in words(article.title)),
        headline_terms=stemmed_text(article.title, language),
        standfirst_terms=stemmed_text(article.standfirst, language),
        body_terms=stemmed_text(body, language),
    )
