"""Uploads in the admin: only pictures of the allowed types, sizes and pixel counts; a
decompression bomb or a file that only pretends to be a picture gets a clear message,
never a 500."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dateline.core.models import NewsImage

pytestmark = pytest.mark.django_db

ADD = "/admin/images/add/"
ADD_MULTIPLE = "/admin/images/multiple/add/"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def decompression_bomb(side: int = 12_000) -> bytes:
    """A valid greyscale PNG of side × side black pixels: about 100 kB on disk, side²
    bytes (144 MB at 12,000) once decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + pixels
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def header_only_bomb(side: int = 200_000) -> bytes:
    """A PNG claiming 40 billion pixels, with next to no data."""
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def real_jpeg(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def noise_png() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((200, 200), 64).save(out, "PNG")
    return out.getvalue()


def upload(client, name: str, content: bytes, content_type: str = "image/png"):
    return client.post(
        ADD,
        {"title": "Upload", "file": SimpleUploadedFile(name, content, content_type)},
    )


def form_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(str(error) for error in response.context["form"].errors.get("file", []))


def test_a_real_picture_is_accepted(admin_client):
    before = NewsImage.objects.count()
    response = upload(admin_client, "red.jpg", real_jpeg(), "image/jpeg")
    assert response.status_code == 302
    assert NewsImage.objects.count() == before + 1


def test_a_decompression_bomb_is_refused_with_a_message_and_quickly(admin_client):
    before = NewsImage.objects.count()
    bomb = decompression_bomb()
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    response = upload(admin_client, "bomb.png", bomb)
    # Refused from the header, before decoding: no worker is tied up decoding it.
    assert time.monotonic() - started < 10
    assert "too many pixels" in form_errors(response).lower()
    assert NewsImage.objects.count() == before


def test_a_picture_claiming_billions_of_pixels_is_refused(admin_client):
    response = upload(admin_client, "huge.png", header_only_bomb())
    assert "too many pixels" in form_errors(response).lower()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.jpg", b"<script>alert(1)</script>"),
        ("page.png", b"<!doctype html><html><body onload=alert(1)></body></html>"),
        ("shell.gif", b"<?php system($_GET['c']); ?>"),
        ("empty.webp", b""),
        ("truncated.jpg", real_jpeg()[:40]),
        ("half.jpg", real_jpeg(640, 480)[:1500]),
        ("half.png", noise_png()[:3000]),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused(admin_client, name, content):
    before = NewsImage.objects.count()
    response = upload(admin_client, name, content)
    errors = form_errors(response)
    assert errors, "no message for a file that is not a picture"
    assert NewsImage.objects.count() == before


def test_a_picture_with_the_wrong_extension_is_refused(admin_client):
    response = upload(admin_client, "red.png", real_jpeg(), "image/png")
    assert "does not match" in form_errors(response) or "png" in form_errors(response).lower()


@pytest.mark.parametrize("name", ["red.svg", "red.jpg.html", "red.exe", "red"])
def test_other_file_types_are_refused(admin_client, name):
    response = upload(admin_client, name, real_jpeg(), "image/jpeg")
    assert "Not a supported image format" in form_errors(response)


def test_a_file_over_the_size_limit_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    response = upload(admin_client, "red.jpg", real_jpeg(400, 400) + b"\x00" * 2048, "image/jpeg")
    assert "too big" in form_errors(response)


def test_the_bulk_uploader_refuses_a_bomb_with_a_message(admin_client):
    response = admin_client.post(
        ADD_MULTIPLE,
        {"files[]": SimpleUploadedFile("bomb.png", decompression_bomb(), "image/png")},
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert "pixels" in answer["error_message"].lower()


def animation(kind: str, side: int, frames: int) -> bytes:
    """A real animated GIF or WebP: `frames` frames of side × side pixels, each a flat
    colour, so the file stays small however many pixels it decodes into."""
    mode = "P" if kind == "GIF" else "RGB"
    pictures = [Image.new(mode, (side, side), 40 * i) for i in range(frames)]
    out = io.BytesIO()
    pictures[0].save(out, kind, save_all=True, append_images=pictures[1:], duration=100)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "name"), [("GIF", "moving.gif"), ("WEBP", "moving.webp")])
def test_an_animation_is_counted_frame_by_frame_against_the_pixel_limit(admin_client, kind, name):
    # 4000 × 4000 is 16 million pixels a frame, under the 40 million limit; three frames
    # decode into 48 million.
    before = NewsImage.objects.count()
    response = upload(admin_client, name, animation(kind, 4000, 3), f"image/{kind.lower()}")
    errors = form_errors(response)
    assert "3 frames" in errors
    assert "48000000" in errors.replace(",", "").replace("\xa0", "")
    assert NewsImage.objects.count() == before


@pytest.mark.parametrize(("kind", "name"), [("GIF", "small.gif"), ("WEBP", "small.webp")])
def test_an_animation_within_the_pixel_limit_is_accepted(admin_client, kind, name):
    response = upload(admin_client, name, animation(kind, 200, 3), f"image/{kind.lower()}")
    assert response.status_code == 302
