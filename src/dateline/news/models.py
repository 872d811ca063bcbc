"""The news site's pages: home → section → article; authors and tags."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db import models
from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber, Substr
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PublishingPanel
from wagtail.fields import RichTextField
from wagtail.models import (
    Locale,
    Orderable,
    Page,
    PageLogEntry,
    PagePermissionTester,
    PageViewRestriction,
    TranslatableMixin,
)
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from dateline.core import fragments, generations
from dateline.core.addresses import absolute
from dateline.core.images import SOCIAL_SPEC, STRUCTURED_DATA_SPECS, rendition

from . import publishing, seo, streams
from .blocks import ArticleBodyBlock
from .fields import StreamField
from .forms import ArticlePageForm
from .permissions import (
    DraftPrivacyPageLogEntryManager,
    DraftPrivacyPermissionTester,
    admin_title,
)

CARD_PICTURE = "fill-640x360"
LEAD_PICTURES = ("fill-640x360", "fill-800x450", "fill-1200x675")
TOP_STORIES = 3
LATEST_HEADLINES = 12


def with_card_pictures(articles: QuerySet[ArticlePage], *specs: str) -> QuerySet[ArticlePage]:
    """The articles with their lead pictures and those pictures' renditions in two more
    queries, whatever the number of cards (instead of one query per picture)."""
    from wagtail.images import get_image_model

    pictures = get_image_model().objects.prefetch_renditions(*(specs or (CARD_PICTURE,)))
    return articles.prefetch_related(Prefetch("lead_image", queryset=pictures))


def _private_sections() -> tuple[tuple[str, int], ...]:
    """(path, depth) of every page behind a sign-in or password, remembered for the content
    generation: Wagtail's `public()` read them with a query each time it was used."""
    return fragments.remembered(
        ("private-sections",),
        lambda: tuple(PageViewRestriction.objects.values_list("page__path", "page__depth")),
    )


def public_only(pages: QuerySet) -> QuerySet:
    """`pages.public()` without a query: pages neither restricted nor below a restricted
    page."""
    private = models.Q()
    for path, depth in _private_sections():
        private |= models.Q(path__startswith=path, depth__gte=depth)
    return pages.exclude(private) if private else pages


def published_articles(locale: Locale | None = None) -> QuerySet[ArticlePage]:
    """Live public articles, newest first: the one query every listing starts from."""
    articles = public_only(ArticlePage.objects.live())
    if locale is not None:
        articles = articles.filter(locale=locale)
    return articles.order_by("-first_published_at", "-pk")


PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


class FromBothEndsPaginator(Paginator):
    """Pages in the back half of a listing are read from its oldest end.

    A database finds page N of a newest-first listing by walking past every story before
    it, so the last page of a big section cost ten times its first. Read backwards, the
    last page is as cheap as the first; the middle page costs the most.

    With `remember_count_as`, the number of items (which every page needs, for its pager)
    is counted once per content generation in each process: only a publish, unpublish,
    move or delete changes it, and each of those starts a new generation."""

    def __init__(self, *args, remember_count_as: tuple | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.remember_count_as = remember_count_as

    @cached_property
    def count(self) -> int:
        if self.remember_count_as is None:
            return super().count
        return fragments.remembered(
            ("listing-count", *self.remember_count_as), lambda: Paginator.count.func(self)
        )

    def page(self, number: int | str) -> PaginatorPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom <= self.count // 2 or not getattr(self.object_list, "ordered", False):
            return super().page(number)
        from_oldest = self.count - top
        items = _NewestFirst(self.object_list.reverse()[from_oldest : from_oldest + top - bottom])
        return self._get_page(items, number, self)


class _NewestFirst(Sequence):
    """A page of stories read from the oldest end, turned newest first, read only when
    first used: a page whose cards are kept as a fragment never reads them."""

    def __init__(self, oldest_first: QuerySet) -> None:
        self._oldest_first = oldest_first
        self._items: list | None = None

    def _read(self) -> list:
        if self._items is None:
            self._items = list(self._oldest_first)[::-1]
        return self._items

    def __getitem__(self, index):
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._read())


def paginate(
    items: QuerySet,
    request: HttpRequest,
    per_page: int | None = None,
    *,
    remember_count_as: tuple | None = None,
) -> PaginatorPage:
    """One page of a listing; a malformed or out-of-range ?page= is a 404, never a 500.
    `remember_count_as` names a listing whose length only changes with the content
    generation (see FromBothEndsPaginator)."""
    paginator = FromBothEndsPaginator(
        items, per_page or settings.DATELINE_PAGE_SIZE, remember_count_as=remember_count_as
    )
    number = request.GET.get("page", "1")
    if not PAGE_NUMBER.fullmatch(number):
        raise Http404(_("There is no such page."))
    try:
        return paginator.page(int(number))
    except InvalidPage as error:
        raise Http404(_("There is no such page.")) from error


class SkipsViewRestrictionsWhenThereAreNone:
    """Wagtail looks up the view restrictions of a page and its ancestors on every request
    it serves (two queries). Most news sites restrict nothing, so while no restriction
    exists anywhere, none is looked up; saving or deleting one retires the remembered
    answer with the other shared fragments (news/events.py)."""

    def get_view_restrictions(self) -> QuerySet[PageViewRestriction]:
        if not fragments.remembered_structure(("any-view-restriction",), _any_view_restriction):
            return _no_view_restrictions()
        return super().get_view_restrictions()


@functools.cache
def _no_view_restrictions() -> QuerySet[PageViewRestriction]:
    """An empty queryset that is already evaluated, made once: iterating `.none()` still
    has Django compile its SQL before finding it empty, a tenth of an uncached story's
    time. Anything chained on it is a new queryset, so sharing it changes nothing."""
    nothing = PageViewRestriction.objects.none()
    nothing._result_cache = []
    nothing._prefetch_done = True
    return nothing


def _any_view_restriction() -> bool:
    return PageViewRestriction.objects.exists()


class DatelinePage(Page):
    """What every page type of the site shares: it describes itself to search engines and
    link previews (news/seo.py), so the head of a page needs no list of page types."""

    class Meta:
        abstract = True

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        # Every publish but the editor's own button arrives here (news/publishing.py).
        return publishing.publish_revision(
            revision,
            user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
            skip_permission_checks=skip_permission_checks,
        )

    def get_admin_display_title(self) -> str:
        return admin_title(self)

    def permissions_for_user(self, user) -> PagePermissionTester:
        # Drafts can hold embargoed news: news/permissions.py says who sees them.
        return DraftPrivacyPermissionTester(user, self)

    def seo_data(self, site: seo.SeoSite) -> seo.SeoData:
        return seo.page_defaults(self, site)

    def structured_data(self, site: seo.SeoSite, described: seo.SeoData) -> list[dict]:
        """schema.org items for the page's head. `described` is what `seo_data` answered,
        so that nothing it looked up is looked up again."""
        return []


class HomePage(SkipsViewRestrictionsWhenThereAreNone, DatelinePage):
    """The front page of one language."""

    lead_article = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty to lead with the latest story."),
    )

    content_panels = Page.content_panels + [FieldPanel("lead_article")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.StandardPage"]

    class Meta:
        verbose_name = _("home page")

    def sections(self) -> QuerySet[SectionPage]:
        return SectionPage.objects.child_of(self).live().public().order_by("path")

    def seo_data(self, site: seo.SeoSite) -> seo.SeoData:
        return seo.SeoData(title=site.name, description=site.tagline)

    def structured_data(self, site: seo.SeoSite, described: seo.SeoData) -> list[dict]:
        return [
            {"@context": seo.SCHEMA_ORG, **seo.organization(site, with_profiles=True)},
            seo.website(site),
        ]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's cached fragment is missing (see home_page.html).
        context["stories"] = SimpleLazyObject(self.stories)
        return context

    def stories(self) -> dict:
        """The lead, the top stories beside it, the latest twelve headlines, and each section's
        newest stories apart from those already shown as the lead and top stories."""
        newest = list(with_card_pictures(published_articles(self.locale), *LEAD_PICTURES)[:16])
        lead = self.chosen_lead()
        if lead is None and newest:
            lead = newest[0]
        others = [article for article in newest if article.pk != getattr(lead, "pk", None)]
        top = self.top_stories(lead, others)
        shown = {article.pk for article in [lead, *top] if article is not None}
        return {
            "lead": lead,
            "top": top,
            "latest": others[:LATEST_HEADLINES],
            "section_blocks": self.section_blocks(leaving_out=shown),
        }

    def top_stories(self, lead: ArticlePage | None, newest: list) -> list:
        """The newest stories with a picture, one per section and none from the lead's
        section while others have one, so the top of the page is not one subject."""
        section_of = self._section_path_of
        seen = {section_of(lead)} if lead is not None else set()
        top, spare = [], []
        for article in newest:
            if article.lead_image_id is None:
                continue
            if section_of(article) in seen:
                spare.append(article)
                continue
            seen.add(section_of(article))
            top.append(article)
            if len(top) == TOP_STORIES:
                return top
        return top + spare[: TOP_STORIES - len(top)]

    def _section_path_of(self, article: ArticlePage) -> str:
        return article.path[: len(self.path) + ArticlePage.steplen]

    def chosen_lead(self) -> ArticlePage | None:
        """The editor's lead story while it is live and public, read afresh: this home page
        object is kept between requests (news/routing.py) while the story may change."""
        if self.lead_article_id is None:
            return None
        chosen = published_articles().filter(pk=self.lead_article_id)
        return with_card_pictures(chosen, *LEAD_PICTURES).first()

    def section_blocks(
        self, per_section: int = 4, leaving_out: frozenset[int] | set[int] = frozenset()
    ) -> list[tuple[SectionPage, list]]:
        """Each section with its newest stories apart from `leaving_out`, read in one query
        for all sections (ranked per section by the database) instead of one per section."""
        sections = list(self.sections())
        if not sections:
            return []
        section_path_length = len(sections[0].path)
        ranked = (
            published_articles()
            .descendant_of(self)
            .annotate(
                rank_in_section=Window(
                    RowNumber(),
                    partition_by=Substr("path", 1, section_path_length),
                    order_by=[F("first_published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank_in_section__lte=per_section + len(leaving_out))
        )
        by_section: dict[str, list] = {section.path: [] for section in sections}
        for article in with_card_pictures(ranked):
            stories = by_section.get(article.path[:section_path_length])
            wanted = stories is not None and article.pk not in leaving_out
            if wanted and len(stories) < per_section:
                stories.append(article)
        return [(section, by_section[section.path]) for section in sections]


class StandardPage(SkipsViewRestrictionsWhenThereAreNone, DatelinePage):
    """A plain page under the home page, such as About or Contacts."""

    body = RichTextField(_("text"), blank=True)
    noindex = models.BooleanField(
        _("hide from search engines"),
        default=False,
        help_text=_("Keeps the page out of sitemaps and asks search engines not to index it."),
    )

    content_panels = Page.content_panels + [FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("noindex")]
    parent_page_types = ["news.HomePage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")

    def seo_data(self, site: seo.SeoSite) -> seo.SeoData:
        described = super().seo_data(site)
        described.description = self.search_description or site.tagline
        described.noindex = self.noindex
        return described


# Addresses the site itself uses under /<lang>/; a section may not take them.
RESERVED_SECTION_SLUGS = frozenset({"search", "tags", "authors"})


class SectionPage(SkipsViewRestrictionsWhenThereAreNone, DatelinePage):
    """A section such as World or Sport, with a one-line description."""

    description = models.CharField(
        _("description"),
        max_length=255,
        help_text=_(
            "One line shown under the section's name, e.g. “The most important world news”."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("description")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage", "news.LiveBlogPage"]
    search_fields = Page.search_fields + [index.SearchField("description")]

    class Meta:
        verbose_name = _("section")

    def clean(self) -> None:
        super().clean()
        if self.slug in RESERVED_SECTION_SLUGS:
            raise ValidationError(
                {
                    "slug": _("“%(slug)s” is an address the site uses; choose another.")
                    % {"slug": self.slug}
                }
            )

    def articles(self) -> QuerySet[ArticlePage]:
        return published_articles().descendant_of(self)

    def seo_data(self, site: seo.SeoSite) -> seo.SeoData:
        described = super().seo_data(site)
        described.description = self.description
        described.feeds = [seo.feed_link(self.title, "section", section=self.slug)]
        return described

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = paginate(
            with_card_pictures(self.articles()), request, remember_count_as=("section", self.pk)
        )
        context["current_section"] = self
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


@register_snippet
class Author(TranslatableMixin, index.Indexed, models.Model):
    """A byline. Each language keeps its own spelling of the name, linked as translations."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=False)
    role = models.CharField(_("role"), max_length=120, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("newsroom account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authors",
        help_text=_("The author's own account: their new stories start with this byline."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("user"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("author")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"], name="author_slug_unique_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("news:author", kwargs={"slug": self.slug})

    def seo_data(self, site: seo.SeoSite) -> seo.SeoData:
        """The author's page, which lists their stories."""
        return seo.SeoData(
            title=self.name,
            description=self.role or site.tagline,
            og_type="profile",
            feeds=[seo.feed_link(self.name, "author", slug=self.slug)],
        )


def authors_in_language(authors: list[Author], language: str) -> list[Author]:
    """The same people in the same order, each in `language` where they have a
    translation: one query however many there are. Every byline a reader, a feed or an
    app sees is translated here (news/queries.py reads bylines through it)."""
    translated = {
        author.translation_key: author
        for author in Author.objects.filter(
            translation_key__in={author.translation_key for author in authors},
            locale__language_code=language,
        )
    }
    return [translated.get(author.translation_key, author) for author in authors]


class ArticleAuthor(Orderable):
    article = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("author")]


class MachineTranslation(models.Model):
    """A translation's draft written by the translation service: the page counts as
    machine translated while this revision is its latest (until a person saves it)."""

    page = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="machine_translation"
    )
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    translated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"machine translation of page {self.page_id}"


class TranslationAssignment(models.Model):
    """Who translates a story into a language, and by when. Done once the translation is
    published and up to date; the desk reads that from the pages, not from this row."""

    source = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="translation_assignments"
    )
    locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translation_assignments"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "locale"], name="one_assignment_per_language")
        ]
        indexes = [models.Index(fields=["assignee", "due_at"], name="assignments_by_due_time")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.locale_id}: {self.assignee_id}"

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at < timezone.now()


class ArticleCorrection(Orderable):
    """A correction or clarification noted on a published story, shown at its end and on
    the language's Corrections page. Kept with the story: a publish shows it."""

    CORRECTION, CLARIFICATION = "correction", "clarification"
    KINDS = [(CORRECTION, _("Correction")), (CLARIFICATION, _("Clarification"))]

    article = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default=CORRECTION)
    text = models.TextField(
        _("text"),
        max_length=1000,
        help_text=_("What was wrong and what is right now, in the story's language."),
    )
    noted_at = models.DateTimeField(
        _("time"), default=timezone.now, help_text=_("When the story was corrected.")
    )

    panels = [FieldPanel("kind"), FieldPanel("text"), FieldPanel("noted_at")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class ArticleRelatedStory(Orderable):
    """A story the editor chose to show under another as related, in the order chosen."""

    article = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_stories"
    )
    story = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("story")]

    class Meta(Orderable.Meta):
        verbose_name = _("related story")
        verbose_name_plural = _("related stories")


class ArticlePage(SkipsViewRestrictionsWhenThereAreNone, DatelinePage):
    """A story. The title is its headline; the first publish time is shown to readers."""

    # Shown only in story listings, never in the frame around pages (core/fragments.py).
    changes_only_story_listings = True

    standfirst = models.TextField(
        _("standfirst"), max_length=500, help_text=_("One or two sentences under the headline.")
    )
    lead_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("lead picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead_image_caption = models.CharField(_("caption"), max_length=300, blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    source = models.CharField(
        _("source attribution"),
        max_length=255,
        blank=True,
        help_text=_("E.g. “Reported with material from the port authority”."),
    )
    # Kept from the wire or page a story was written from (ingest), shown as the source's link.
    source_url = models.URLField(_("original address"), max_length=1000, blank=True)
    source_published_at = models.DateTimeField(_("originally published"), null=True, blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    # Set by the editor's "material update" box on the form, not by every publish.
    updated_at = models.DateTimeField(
        _("updated"),
        null=True,
        blank=True,
        help_text=_("Shown to readers as “Updated” beside the publish time."),
    )
    # Read by the newsroom's channels (Telegram, X, Facebook) on the story's first publish.
    post_to_channels = models.BooleanField(
        _("post to channels"),
        default=True,
        help_text=_(
            "On first publish, post the story to this language's channels. Later edits "
            "and republishing never post again."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading=_("Lead picture")
        ),
        FieldPanel("body"),
        InlinePanel("bylines", label=_("Author"), heading=_("Byline"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("source"),
                FieldPanel("source_url"),
                FieldPanel("source_published_at"),
            ],
            heading=_("Source"),
        ),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("material_update"),
                InlinePanel("corrections", label=_("Correction or clarification")),
            ],
            heading=_("Updates and corrections"),
        ),
        InlinePanel(
            "related_stories",
            label=_("Related story"),
            heading=_("Related stories"),
            help_text=_(
                "Shown at the end of the story, in this order. Without a choice here, "
                "stories with the same tags or on the same subject are shown."
            ),
            max_num=6,
        ),
    ]
    base_form_class = ArticlePageForm
    # Apps above news add their own panels here when they are ready (analytics: views).
    settings_panels = [
        PublishingPanel(),
        FieldPanel(
            "first_published_at",
            heading=_("Publish time shown to readers"),
            help_text=_("Set on first publish; change it only to correct it."),
        ),
    ]
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    search_fields = Page.search_fields + [
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.SearchField("source"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("article")

    @property
    def section(self) -> SectionPage | None:
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    @property
    def caption(self) -> str:
        return self.lead_image_caption

    def authors(self) -> list[Author]:
        """The byline, in the reader's language where the author has a translation
        (one query for the byline and one for all its translations)."""
        bylines = [byline.author for byline in self.bylines.select_related("author")]
        return authors_in_language(bylines, get_language())

    def seo_data(self, site: seo.SeoSite) -> seo.SeoData:
        described = super().seo_data(site)
        section = self.section
        described.og_type = "article"
        described.description = self.search_description or self.standfirst
        described.article = seo.ArticleFacts(
            published_time=seo.iso(self.first_published_at),
            modified_time=seo.iso(self.last_published_at or self.first_published_at),
            section=section.title if section else "",
            tags=[tag.name for tag in self.tags.all()],
            bylines=[
                (author.name, absolute(author.get_absolute_url())) for author in self.authors()
            ],
        )
        picture = rendition(self.lead_image, SOCIAL_SPEC)
        if picture is not None:
            described.image = seo.Picture(seo.image_url(picture), picture.width, picture.height)
            described.image_alt = self.lead_image_caption or self.title
        if section is not None:
            described.feeds = [seo.feed_link(section.title, "section", section=section.slug)]
        return described

    def structured_data(self, site: seo.SeoSite, described: seo.SeoData) -> list[dict]:
        """A NewsArticle and the breadcrumbs from the home page down to the story."""
        url = absolute(self.url)
        section = self.section
        facts = described.article
        story = {
            "@context": seo.SCHEMA_ORG,
            "@type": "NewsArticle",
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
            "headline": self.title,
            "description": described.description,
            "datePublished": facts.published_time,
            "dateModified": facts.modified_time,
            "author": [
                {"@type": "Person", "name": name, "url": page} for name, page in facts.bylines
            ],
            "publisher": seo.organization(site),
            "inLanguage": site.language,
            "isAccessibleForFree": True,
        }
        pictures = [rendition(self.lead_image, spec) for spec in STRUCTURED_DATA_SPECS]
        images = [seo.image_url(picture) for picture in pictures if picture is not None]
        if images:
            story["image"] = images
        trail = [(site.name, site.home_url)]
        if section is not None:
            story["articleSection"] = section.title
            trail.append((section.title, absolute(section.url)))
        if facts.tags:
            story["keywords"] = facts.tags
        corrections = self.shown_corrections
        if corrections:
            story["correction"] = [
                {
                    "@type": "CorrectionComment",
                    "text": correction.text,
                    "datePublished": seo.iso(correction.noted_at),
                }
                for correction in corrections
            ]
        trail.append((self.title, url))
        return [story, seo.breadcrumbs(trail)]

    @cached_property
    def shown_corrections(self) -> list[ArticleCorrection]:
        """Oldest first, as a reader follows the story's history (read once per page: the
        story's end, its structured data and its feed item all show them)."""
        return sorted(self.corrections.all(), key=lambda correction: correction.noted_at)

    def chosen_related(self) -> list[ArticlePage]:
        """The editor's related stories that readers can open now, in the chosen order."""
        chosen = [link.story_id for link in self.related_stories.all()]
        live = published_articles(self.locale).filter(pk__in=chosen).exclude(pk=self.pk)
        found = {story.pk: story for story in with_card_pictures(live)}
        return [found[pk] for pk in chosen if pk in found]

    def related_by_tags(self, count: int, exclude: list[int]) -> list[ArticlePage]:
        """Stories of the same language sharing the most tags with this one, newest first
        among equals."""
        tag_ids = [tag.pk for tag in self.tags.all()]  # also on a preview's unsaved copy
        if not tag_ids:
            return []
        sharing = (
            published_articles(self.locale)
            .filter(tagged_items__tag_id__in=tag_ids)
            .exclude(pk__in=[self.pk, *exclude])
            .annotate(shared_tags=Count("tagged_items", distinct=True))
            .order_by("-shared_tags", "-first_published_at", "-pk")
        )
        return list(with_card_pictures(sharing)[:count])

    def more_from_section(self, count: int = 4) -> QuerySet[ArticlePage]:
        section = self.section
        if section is None:
            return ArticlePage.objects.none()
        return with_card_pictures(section.articles().exclude(pk=self.pk))[:count]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context["section"] = self.section
        return context


class DraftPrivacyPageLogEntry(PageLogEntry):
    """Page history entries as site history lists them: without those of drafts the user
    may not see (news/permissions.py). Same table; only the listing's manager differs."""

    objects = DraftPrivacyPageLogEntryManager()

    class Meta:
        proxy = True
        default_permissions = ()


class BreakingNews(models.Model):
    """A published story marked breaking: every page of its language shows a banner
    linking to it until `expires_at`, or until an editor clears it. Kept apart from the
    page, so that marking needs no publish and no cached page is thrown away
    (news/breaking.py)."""

    story = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="breaking_marks",
    )
    label = models.CharField(
        _("label"),
        max_length=40,
        blank=True,
        help_text=_("A short word shown before the headline, e.g. “Breaking” or “Live”."),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)
    expires_at = models.DateTimeField(_("shown until"))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("breaking news")
        verbose_name_plural = _("breaking news")
        ordering = ["-marked_at", "-pk"]
        indexes = [models.Index(fields=["expires_at"], name="news_breaking_expires_idx")]

    def __str__(self) -> str:
        return f"{self.label or _('Breaking')}: {self.story.title}"

    @property
    def is_shown(self) -> bool:
        return self.cleared_at is None and self.expires_at > timezone.now()


LIVE_UPDATE_FEATURES = ["bold", "italic", "link", "ol", "ul", "blockquote", "image", "embed"]


class LiveBlogPage(ArticlePage):
    """A story told as it happens: the article's fields, and a stream of short updates
    (LiveUpdate) that editors post without publishing the page again (news/live.py).
    Coverage starts with the first publish and lasts until an editor ends it; the page then
    stays as an archive."""

    coverage_ended_at = models.DateTimeField(
        _("coverage ended"),
        null=True,
        blank=True,
        help_text=_("Set when an editor ends the coverage; readers' pages stop updating."),
    )

    template = "news/live_blog_page.html"
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    settings_panels = ArticlePage.settings_panels + [FieldPanel("coverage_ended_at")]

    class Meta:
        verbose_name = _("live blog")

    @property
    def is_covering(self) -> bool:
        """Whether coverage is under way: published and not ended."""
        return self.live and self.coverage_ended_at is None

    def serve(self, request: HttpRequest, *args, **kwargs):
        # The page follows its own stream: a posted update makes its cached copies stale
        # without making every other page of the site stale.
        following = streams.generation_mark(self)
        response = super().serve(request, *args, **kwargs)
        streams.mark_followed(response, following, covering=self.is_covering)
        return response

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(
            updates=self.updates_page(streams.update_id(request.GET.get("before"))),
            key_events=self.key_events(),
            pinned=self.pinned_updates(),
            poll_seconds=streams.POLL_SECONDS,
            # Fragments of the page that show updates are kept until the next change.
            live_key=generations.current(streams.generation_name(self.pk)),
        )
        return context

    def updates_page(self, before: int | None = None) -> streams.UpdatesPage:
        """Newest first, PAGE_SIZE at a time; `before` is an update id from an earlier page."""
        updates = self.live_updates.order_by("-pk")
        if before is not None:
            updates = updates.filter(pk__lt=before)
        found = list(updates[: streams.PAGE_SIZE + 1])
        more = len(found) > streams.PAGE_SIZE
        found = found[: streams.PAGE_SIZE]
        return streams.UpdatesPage(found, found[-1].pk if more and found else None)

    def newest_updates(self, count: int) -> list[LiveUpdate]:
        return list(self.live_updates.order_by("-pk")[:count])

    def key_events(self) -> list[LiveUpdate]:
        return list(
            self.live_updates.filter(key_event=True).order_by("-pk")[: streams.KEY_EVENTS_SHOWN]
        )

    def pinned_updates(self) -> list[LiveUpdate]:
        return list(self.live_updates.filter(pinned=True).order_by("-pk")[: streams.PINNED_SHOWN])

    def seo_data(self, site: seo.SeoSite) -> seo.SeoData:
        described = super().seo_data(site)
        latest = self.live_updates.order_by("-pk").first()
        if latest is not None:
            changed = max(
                latest.revised_at or latest.posted_at, self.last_published_at or latest.posted_at
            )
            described.article = dataclasses.replace(
                described.article, modified_time=seo.iso(changed)
            )
        described.feeds = [
            seo.feed_link(self.title, "live_blog", page_id=str(self.pk)),
            *described.feeds,
        ]
        return described

    def structured_data(self, site: seo.SeoSite, described: seo.SeoData) -> list[dict]:
        """A LiveBlogPosting with its newest updates, and the breadcrumbs."""
        story, *rest = super().structured_data(site, described)
        story["@type"] = "LiveBlogPosting"
        story["coverageStartTime"] = seo.iso(self.first_published_at)
        if self.coverage_ended_at is not None:
            story["coverageEndTime"] = seo.iso(self.coverage_ended_at)
        url = story["url"]
        story["liveBlogUpdate"] = [
            {
                "@type": "BlogPosting",
                "headline": update.headline or update.summary(110),
                "datePublished": seo.iso(update.posted_at),
                "dateModified": seo.iso(update.revised_at or update.posted_at),
                "url": f"{url}#update-{update.pk}",
                "articleBody": update.summary(1000),
                **({"author": {"@type": "Person", "name": update.byline}} if update.byline else {}),
            }
            for update in self.newest_updates(streams.STRUCTURED_DATA_UPDATES)
        ]
        return [story, *rest]


class LiveUpdate(models.Model):
    """One update of a live blog. Kept apart from the page's revisions so that posting one
    needs no publish and two editors posting at once never overwrite each other; each
    post, correction and deletion is written to the page's history."""

    blog = models.ForeignKey(
        LiveBlogPage,
        verbose_name=_("live blog"),
        on_delete=models.CASCADE,
        related_name="live_updates",
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now)
    revised_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name shown to readers, as it was when the update was posted.
    byline = models.CharField(_("byline"), max_length=120, blank=True)
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    body = RichTextField(_("text"), features=LIVE_UPDATE_FEATURES)
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Shown above the other updates.")
    )
    key_event = models.BooleanField(
        _("key event"), default=False, help_text=_("Listed in the summary at the top.")
    )

    class Meta:
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["blog", "-id"], name="news_live_update_blog_idx")]

    def __str__(self) -> str:
        return self.headline or self.summary(60)

    @property
    def summary_short(self) -> str:
        return self.summary(90)

    def summary(self, length: int) -> str:
        """The update's words without markup, cut at a word to `length` characters."""
        from django.utils.text import Truncator

        return Truncator(streams.plain_text(self.body)).chars(length)
