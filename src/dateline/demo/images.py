"""Lead pictures drawn on the spot, so the demo needs no network and no stock photos."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFilter

SECTION_PALETTES = {
    "world": ((18, 52, 96), (64, 140, 196)),
    "politics": ((96, 20, 36), (204, 84, 70)),
    "economy": ((16, 82, 64), (120, 190, 120)),
    "region": ((112, 72, 20), (232, 176, 84)),
    "analytics": ((52, 36, 104), (150, 120, 220)),
    "sport": ((20, 90, 110), (250, 200, 60)),
}


def draw_lead_picture(seed: str, section: str, size: tuple[int, int] = (1600, 900)) -> bytes:
    """A JPEG of soft shapes over a gradient, the same for the same seed."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    dark, light = SECTION_PALETTES.get(section, ((40, 40, 40), (160, 160, 160)))
    width, height = size
    picture = Image.new("RGB", size)
    pixels = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        colour = tuple(int(d + (lt - d) * t) for d, lt in zip(dark, light, strict=True))
        pixels.line([(0, y), (width, y)], fill=colour)

    shapes = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    for _ in range(rng.randint(7, 13)):
        x, y = rng.randint(-200, width), rng.randint(-200, height)
        radius = rng.randint(60, 420)
        tint = tuple(min(255, c + rng.randint(-30, 60)) for c in rng.choice((dark, light)))
        box = (x, y, x + radius, y + radius)
        if rng.random() < 0.5:
            draw.ellipse(box, fill=(*tint, rng.randint(60, 150)))
        else:
            draw.rectangle(box, fill=(*tint, rng.randint(50, 130)))
    shapes = shapes.filter(ImageFilter.GaussianBlur(rng.randint(2, 12)))
    picture = Image.alpha_composite(picture.convert("RGBA"), shapes).convert("RGB")

    horizon = ImageDraw.Draw(picture)
    base = int(height * rng.uniform(0.62, 0.8))
    x = 0
    while x < width:
        w = rng.randint(40, 140)
        h = rng.randint(60, 320)
        horizon.rectangle((x, base - h, x + w, height), fill=tuple(c // 2 for c in dark))
        x += w + rng.randint(0, 30)

    out = io.BytesIO()
    picture.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()
