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


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"))
    heading = blocks.CharBlock(
        max_length=120, template="news/blocks/heading.html", label=_("Subheading")
    )
    figure = FigureBlock(label=_("Picture"))
    quote = QuoteBlock(label=_("Quote"))

    class Meta:
        min_num = 1
