"""A small drawing surface for the demo's illustrations: flat shapes in a 1600×900 frame,
drawn at twice the size and scaled down so that edges come out smooth."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont

Colour = tuple[int, int, int]
Point = tuple[float, float]

WIDTH, HEIGHT = 1600, 900
SMOOTHING = 2

SKIES: dict[str, tuple[Colour, Colour]] = {
    "day": ((120, 178, 222), (214, 234, 244)),
    "dusk": ((64, 74, 138), (246, 176, 120)),
    "overcast": ((128, 138, 150), (206, 210, 214)),
    "storm": ((46, 54, 70), (112, 122, 136)),
    "night": ((8, 16, 42), (40, 58, 104)),
    "polar": ((150, 196, 226), (236, 244, 250)),
}


def shade(colour: Colour, amount: float) -> Colour:
    """Darker for a negative amount, lighter for a positive one (-1…1)."""
    target = 255 if amount > 0 else 0
    return tuple(round(c + (target - c) * abs(amount)) for c in colour)  # type: ignore[return-value]


def vary(colour: Colour, rng: random.Random, spread: int = 18) -> Colour:
    return tuple(max(0, min(255, c + rng.randint(-spread, spread))) for c in colour)  # type: ignore[return-value]


class Canvas:
    """Coordinates are in the 1600×900 frame whatever the size drawn at."""

    def __init__(self, rng: random.Random, scene: str = "") -> None:
        self.rng = rng
        self.scene = scene
        self.image = Image.new("RGB", (WIDTH * SMOOTHING, HEIGHT * SMOOTHING), (255, 255, 255))
        self.pen = ImageDraw.Draw(self.image)

    @staticmethod
    def _at(points: Sequence[Point]) -> list[tuple[float, float]]:
        return [(x * SMOOTHING, y * SMOOTHING) for x, y in points]

    @staticmethod
    def _box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (
            min(x0, x1) * SMOOTHING,
            min(y0, y1) * SMOOTHING,
            max(x0, x1) * SMOOTHING,
            max(y0, y1) * SMOOTHING,
        )

    def gradient(self, top: Colour, bottom: Colour, y0: float = 0, y1: float = HEIGHT) -> None:
        height = max(1, round((y1 - y0) * SMOOTHING))
        # Every row is one colour: blended one pixel wide, then widened (the same pixels as
        # blending the whole band, in a sixth of the time).
        mask = Image.linear_gradient("L").resize((1, height))
        column = Image.composite(
            Image.new("RGB", mask.size, bottom), Image.new("RGB", mask.size, top), mask
        )
        band = column.resize((WIDTH * SMOOTHING, height), Image.Resampling.NEAREST)
        self.image.paste(band, (0, round(y0 * SMOOTHING)))

    def sky(self, kind: str, horizon: float = HEIGHT) -> None:
        top, bottom = SKIES[kind]
        self.gradient(top, bottom, 0, horizon)

    def rect(
        self, x0: float, y0: float, x1: float, y1: float, fill: Colour, radius: float = 0
    ) -> None:
        if radius:
            self.pen.rounded_rectangle(self._box(x0, y0, x1, y1), radius * SMOOTHING, fill=fill)
        else:
            self.pen.rectangle(self._box(x0, y0, x1, y1), fill=fill)

    def poly(self, points: Sequence[Point], fill: Colour) -> None:
        self.pen.polygon(self._at(points), fill=fill)

    def ellipse(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: float = 0,
    ) -> None:
        self.pen.ellipse(
            self._box(x0, y0, x1, y1), fill=fill, outline=outline, width=round(width * SMOOTHING)
        )

    def circle(
        self, x: float, y: float, r: float, fill: Colour | None = None, **kw: object
    ) -> None:
        self.ellipse(x - r, y - r, x + r, y + r, fill, **kw)

    def line(self, points: Sequence[Point], fill: Colour, width: float = 4) -> None:
        self.pen.line(self._at(points), fill=fill, width=round(width * SMOOTHING), joint="curve")

    def pie(
        self, x0: float, y0: float, x1: float, y1: float, start: float, end: float, fill: Colour
    ) -> None:
        self.pen.pieslice(self._box(x0, y0, x1, y1), start, end, fill=fill)

    def arc(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        start: float,
        end: float,
        fill: Colour,
        width: float,
    ) -> None:
        self.pen.arc(
            self._box(x0, y0, x1, y1), start, end, fill=fill, width=round(width * SMOOTHING)
        )

    def text(self, x: float, y: float, words: str, size: float, fill: Colour) -> None:
        font = ImageFont.load_default(size=round(size * SMOOTHING))
        self.pen.text((x * SMOOTHING, y * SMOOTHING), words, font=font, fill=fill, anchor="mm")

    def jpeg(self, quality: int = 82) -> bytes:
        picture = self.image.reduce(SMOOTHING)
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality, optimize=True)
        return out.getvalue()

    # Elements that several scenes share.

    def ridge(self, base: float, height: float, colour: Colour, bumps: int = 5) -> None:
        """A line of soft hills whose tops reach `height` above `base`."""
        rng = self.rng
        phases = [rng.uniform(0, math.tau) for _ in range(3)]
        points = [(0.0, float(HEIGHT))]
        for step in range(65):
            x = WIDTH * step / 64
            wave = sum(
                math.sin(x / WIDTH * math.tau * bumps * (k + 1) / 2 + phases[k]) / (k + 1)
                for k in range(3)
            )
            points.append((x, base - height * (0.55 + 0.35 * wave)))
        points.append((float(WIDTH), float(HEIGHT)))
        self.poly(points, colour)

    def peaks(self, base: float, colour: Colour, snow: Colour | None, count: int = 4) -> None:
        rng = self.rng
        x = rng.uniform(-300, -100)
        while x < WIDTH:
            width = rng.uniform(380, 620)
            top = base - rng.uniform(220, 420)
            peak = x + width * rng.uniform(0.4, 0.6)
            self.poly(
                [(x, HEIGHT), (x, base), (peak, top), (x + width, base), (x + width, HEIGHT)],
                colour,
            )
            if snow:
                cap = (base - top) * 0.28
                left = peak - (peak - x) * cap / (base - top)
                right = peak + (x + width - peak) * cap / (base - top)
                self.poly(
                    [(left, top + cap), (peak, top), (right, top + cap), (peak, top + cap * 0.7)],
                    snow,
                )
            x += width * rng.uniform(0.45, 0.75)

    def clouds(self, count: int, colour: Colour, top: float = 60, bottom: float = 300) -> None:
        rng = self.rng
        for _ in range(count):
            x, y = rng.uniform(0, WIDTH), rng.uniform(top, bottom)
            size = rng.uniform(50, 110)
            for dx, dy, r in ((0, 0, 1), (-0.9, 0.25, 0.7), (0.9, 0.25, 0.75), (0.4, -0.35, 0.7)):
                self.circle(x + dx * size, y + dy * size, r * size, colour)
            self.rect(x - size * 1.5, y + size * 0.2, x + size * 1.5, y + size * 0.95, colour)

    def stars(self, count: int, bottom: float) -> None:
        for _ in range(count):
            x, y = self.rng.uniform(0, WIDTH), self.rng.uniform(0, bottom)
            self.circle(x, y, self.rng.uniform(1, 3.2), (236, 240, 255))

    def sun(self, x: float, y: float, r: float, colour: Colour = (255, 226, 150)) -> None:
        self.circle(x, y, r * 1.5, shade(colour, 0.5))
        self.circle(x, y, r, colour)

    def sea(self, top: float, colour: Colour, rough: float = 0.0) -> None:
        self.gradient(shade(colour, 0.12), shade(colour, -0.25), top, HEIGHT)
        rng = self.rng
        crest = shade(colour, 0.35)
        for _ in range(int(40 + 80 * rough)):
            x, y = rng.uniform(0, WIDTH), rng.uniform(top + 10, HEIGHT)
            length = rng.uniform(30, 90) * (1 + rough)
            self.arc(x, y, x + length, y + length * 0.3, 200, 340, crest, 2 + 3 * rough)

    def windows(
        self, x0: float, y0: float, x1: float, y1: float, rows: int, cols: int, colour: Colour
    ) -> None:
        cell_w, cell_h = (x1 - x0) / cols, (y1 - y0) / rows
        for row in range(rows):
            for col in range(cols):
                wx, wy = x0 + col * cell_w, y0 + row * cell_h
                self.rect(
                    wx + cell_w * 0.22,
                    wy + cell_h * 0.2,
                    wx + cell_w * 0.78,
                    wy + cell_h * 0.8,
                    colour,
                )

    def tree(
        self, x: float, base: float, size: float, crown: Colour, fruit: Colour | None = None
    ) -> None:
        self.rect(x - size * 0.07, base - size * 0.6, x + size * 0.07, base, (104, 76, 52))
        self.circle(x, base - size * 0.85, size * 0.45, crown)
        self.circle(x - size * 0.25, base - size * 0.7, size * 0.3, shade(crown, -0.1))
        if fruit:
            for _ in range(7):
                fx = x + self.rng.uniform(-0.35, 0.35) * size
                fy = base - size * (0.85 + self.rng.uniform(-0.3, 0.3))
                self.circle(fx, fy, size * 0.055, fruit)

    def person(self, x: float, base: float, height: float, colour: Colour, head: Colour) -> None:
        self.rect(
            x - height * 0.16, base - height * 0.62, x + height * 0.16, base, colour, height * 0.1
        )
        self.circle(x, base - height * 0.8, height * 0.13, head)

    def crate(self, x: float, base: float, width: float, fill: Colour, goods: Colour) -> None:
        height = width * 0.5
        for _ in range(6):
            gx = x + self.rng.uniform(0.15, 0.85) * width
            self.circle(gx, base - height, width * 0.11, goods)
        self.rect(x, base - height, x + width, base, fill)
        self.rect(x, base - height * 0.55, x + width, base - height * 0.45, shade(fill, -0.2))
