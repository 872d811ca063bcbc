"""The blocks an article body is made of."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

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


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    heading = blocks.CharBlock(
        max_length=120, template="news/blocks/heading.html", label=_("Subheading")
    )
    figure = FigureBlock(label=_("Picture"))
    quote = QuoteBlock(label=_("Quote"))
    gallery = GalleryBlock(label=_("Gallery"))
    fact_box = FactBoxBlock(label=_("Fact box"))

    class Meta:
        min_num = 1
