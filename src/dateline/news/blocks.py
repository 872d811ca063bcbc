"""The blocks an article body is made of."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from . import embeds

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3", "blockquote"]


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Picture"))
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Caption"))

    class Meta:
        icon = "image"
        template = "news/blocks/figure.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=200, label=_("Who said it"))

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote.html"


class GalleryPictureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Picture"))
    caption = blocks.CharBlock(required=False, max_length=300, label=_("Caption"))

    class Meta:
        icon = "image"


class GalleryBlock(blocks.StructBlock):
    """Several pictures the reader swipes or steps through, one at a time."""

    title = blocks.CharBlock(required=False, max_length=120, label=_("Title"))
    pictures = blocks.ListBlock(GalleryPictureBlock(), min_num=2, max_num=40, label=_("Pictures"))

    class Meta:
        icon = "image"
        template = "news/blocks/gallery.html"


# A fact box holds a short list or a few lines: no subheadings or quotes inside it.
FACT_BOX_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class FactBoxBlock(blocks.StructBlock):
    """Key facts beside the story: figures, dates, what happens next."""

    title = blocks.CharBlock(max_length=120, label=_("Title"))
    facts = blocks.RichTextBlock(features=FACT_BOX_FEATURES, label=_("Facts"))

    class Meta:
        icon = "list-ul"
        template = "news/blocks/fact_box.html"


class StoryEmbedBlock(EmbedBlock):
    """A video or post from another site, shown to readers as a facade until they ask for
    it (news/embeds.py)."""

    def clean(self, value):
        url = getattr(value, "url", "") or ""
        if url and embeds.provider_for(url) is None:
            host = urlsplit(url).hostname or url
            raise ValidationError(
                _("Posts from %(host)s cannot be embedded. Embed a video or post from %(names)s.")
                % {"host": host, "names": embeds.PROVIDER_NAMES}
            )
        return super().clean(value)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["facade"] = embeds.facade(value.url) if value else None
        return context

    class Meta:
        icon = "media"
        template = "news/blocks/embed.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    heading = blocks.CharBlock(
        max_length=120, template="news/blocks/heading.html", label=_("Subheading")
    )
    figure = FigureBlock(label=_("Picture"))
    quote = QuoteBlock(label=_("Quote"))
    gallery = GalleryBlock(label=_("Gallery"))
    fact_box = FactBoxBlock(label=_("Fact box"))
    embed = StoryEmbedBlock(
        label=_("Embed"),
        help_text=_(
            "The address of a YouTube or Vimeo video, or of a post on X, Instagram, "
            "Facebook or Telegram. Readers load it only when they choose to."
        ),
    )

    class Meta:
        min_num = 1
