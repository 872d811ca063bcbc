"""The demo's pictures: a drawing of what each story is about, with a caption that says
what the drawing shows, in the story's language."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from dateline.demo.loader import SECTION_ORDER, illustration_caption, read_content
from dateline.demo.scenes import SCENES, draw_scene
from dateline.news.models import ArticlePage

LANGUAGES = ["en", "ru", "hy", "az"]


def _stories() -> list[dict]:
    return [story for slug in SECTION_ORDER for story in read_content(slug)["stories"]]


def test_every_scene_is_drawn_and_described_in_every_language():
    captions = read_content("illustrations")
    assert set(captions["scenes"]) == set(SCENES)
    for code in LANGUAGES:
        assert "{scene}" in captions["label"][code]
        for scene, texts in captions["scenes"].items():
            assert texts[code].strip(), (scene, code)


def test_every_story_names_a_drawn_scene_and_no_photographed_caption_is_left():
    for story in _stories():
        assert story["picture"] in SCENES, story["slug"]
        for scene in story.get("gallery_pictures", []):
            assert scene in SCENES
        versions = [story[code] for code in LANGUAGES if code in story]
        versions += story.get("desk", {}).get("drafts", {}).values()
        for version in versions:
            assert "caption" not in version, story["slug"]
            assert "captions" not in version.get("gallery", {}), story["slug"]


def test_scenes_vary_from_story_to_story():
    scenes = [story["picture"] for story in _stories()]
    assert len(set(scenes)) >= 50
    assert max(scenes.count(scene) for scene in set(scenes)) <= 3


def test_a_scene_is_a_jpeg_the_size_of_a_lead_picture_and_the_same_for_the_same_seed():
    first = draw_scene("harbour_nets", "a-story")
    picture = Image.open(io.BytesIO(first))
    assert picture.format == "JPEG"
    assert picture.size == (1600, 900)
    assert draw_scene("harbour_nets", "a-story") == first
    assert draw_scene("harbour_nets", "another-story") != first


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_every_scene_draws_something_more_than_a_plain_background(scene):
    picture = Image.open(io.BytesIO(draw_scene(scene, "seed"))).convert("RGB")
    colours = picture.resize((160, 90)).getcolors(maxcolors=160 * 90)
    assert colours is not None and len(colours) > 40


@pytest.mark.django_db
def test_every_demo_story_shows_its_drawing_with_the_caption_of_that_drawing():
    scene_of = {story["slug"]: story["picture"] for story in _stories()}
    stories = ArticlePage.objects.select_related("locale", "lead_image")
    assert stories.count() >= len(scene_of) * 3
    for story in stories:
        code = story.locale.language_code
        assert story.lead_image_caption == illustration_caption(scene_of[story.slug], code)
    assert illustration_caption("chess", "ru") == "Иллюстрация: шахматные фигуры на доске"


@pytest.mark.django_db
def test_stories_that_share_a_scene_still_get_their_own_picture():
    files = {}
    for story in ArticlePage.objects.filter(locale__language_code="en").select_related(
        "lead_image"
    ):
        with story.lead_image.file.open("rb") as handle:
            files[story.slug] = hashlib.sha256(handle.read()).hexdigest()
    assert len(set(files.values())) == len(files)


@pytest.mark.django_db
def test_gallery_pictures_carry_the_captions_of_their_drawings():
    story = ArticlePage.objects.get(
        slug="kestrin-water-main-replacement-night-outages", locale__language_code="hy"
    )
    gallery = next(block for block in story.body if block.block_type == "gallery")
    captions = [picture["caption"] for picture in gallery.value["pictures"]]
    assert captions == [
        illustration_caption(scene, "hy") for scene in ("hill_town", "town_square", "water_plant")
    ]
