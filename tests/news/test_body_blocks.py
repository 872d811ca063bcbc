"""A gallery and a fact box in a story's body: on the page, in the API and the feeds,
and in the demo in every language."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from wagtail.rich_text import RichText

from dateline.core.models import NewsImage
from dateline.news.models import ArticlePage
from tests.factories import story

pytestmark = pytest.mark.django_db

DEMO_SLUG = "kestrin-water-main-replacement-night-outages"


@pytest.fixture
def illustrated(world):
    pictures = list(NewsImage.objects.order_by("pk")[:3])
    body = [
        ("paragraph", RichText("<p>Before the gallery.</p>")),
        (
            "gallery",
            {
                "title": "The harbour at dawn",
                "pictures": [
                    {"image": image, "caption": f"Picture <{number}>"}
                    for number, image in enumerate(pictures, start=1)
                ],
            },
        ),
        (
            "fact_box",
            {"title": "In numbers", "facts": RichText("<ul><li><b>3</b> cranes</li></ul>")},
        ),
    ]
    return story(world, "illustrated", body=body)


def test_a_gallery_shows_every_picture_with_its_size_reserved_and_its_place(client, illustrated):
    page = client.get(illustrated.url).content.decode()
    gallery = re.search(r"<section class=\"gallery\".*?</section>", page, re.S).group(0)
    assert 'aria-label="The harbour at dawn"' in gallery
    slides = re.findall(r"<figure class=\"gallery__slide\".*?</figure>", gallery, re.S)
    assert len(slides) == 3
    for number, slide in enumerate(slides, start=1):
        image = re.search(r"<img [^>]+>", slide).group(0)
        assert 'loading="lazy"' in image and "width=" in image and "height=" in image
        assert "srcset=" in image
        assert f"{number} of 3" in slide
        assert f"Picture &lt;{number}&gt;" in slide  # captions are escaped
    assert "dateline/js/gallery" in page
    assert 'data-gallery-previous aria-label="Previous picture"' in gallery


def test_a_fact_box_is_an_aside_with_its_title_and_list(client, illustrated):
    page = client.get(illustrated.url).content.decode()
    box = re.search(r"<aside class=\"fact-box\".*?</aside>", page, re.S).group(0)
    assert 'aria-label="In numbers"' in box and ">In numbers</h2>" in box
    assert "<li><b>3</b> cranes</li>" in box


def test_the_api_and_the_feeds_carry_the_gallery_and_the_fact_box(client, illustrated):
    body = client.get(f"/api/v1/articles/{illustrated.pk}").json()["body_html"]
    assert body.count("<figure>") == 3 and "<h3>The harbour at dawn</h3>" in body
    assert "<aside><h3>In numbers</h3>" in body
    assert re.search(r'<img src="http://[^"]+" width="\d+" height="\d+"', body)


def test_a_gallery_needs_two_pictures(world):
    from dateline.news.blocks import GalleryBlock

    block = GalleryBlock()
    value = block.to_python({"title": "", "pictures": [{"image": NewsImage.objects.first().pk}]})
    with pytest.raises(ValidationError) as refused:
        block.clean(value)
    assert "minimum number of items is 2" in str(
        refused.value.block_errors["pictures"].non_block_errors
    )


@pytest.mark.parametrize("lang", ["en", "ru", "hy", "az"])
def test_the_demo_has_a_gallery_and_a_fact_box_in_every_language(client, lang):
    demo = ArticlePage.objects.get(
        locale__language_code=lang,
        translation_key=ArticlePage.objects.get(
            slug=DEMO_SLUG, locale__language_code="en"
        ).translation_key,
    )
    page = client.get(demo.url).content.decode()
    assert page.count('class="gallery__slide"') == 3
    assert page.count('class="fact-box"') == 1
