"""The demo's pictures: flat illustrations of what each story is about (a harbour, a
parliament, a chess board), drawn by the demo itself, so it needs no photographs and no
network. Each scene has a caption per language in content/illustrations.json saying what
it shows; a story names its scene, and the seed varies the light, colours and layout."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable

from .canvas import HEIGHT, WIDTH, Canvas, Colour, shade, vary

GRASS = (118, 164, 92)
STONE = (168, 160, 148)
ASPHALT = (88, 92, 100)
WOOD = (168, 118, 72)
WHITE = (246, 246, 242)
NIGHT_SEA = (24, 44, 78)
SEA = (46, 110, 150)
ROOFS = [(178, 72, 56), (150, 64, 52), (120, 84, 70), (96, 104, 118)]
WALLS = [(236, 222, 196), (222, 206, 180), (240, 232, 214), (214, 196, 172), (226, 214, 204)]
BRIGHT = [(214, 70, 60), (44, 110, 180), (240, 180, 40), (60, 150, 100), (150, 80, 160)]

Scene = Callable[[Canvas], None]
SCENES: dict[str, Scene] = {}


def scene(*names: str) -> Callable[[Scene], Scene]:
    def register(draw: Scene) -> Scene:
        for name in names:
            SCENES[name] = draw
        return draw

    return register


def draw_scene(name: str, seed: str) -> bytes:
    """The named scene as a 1600×900 JPEG, the same bytes for the same seed."""
    rng = random.Random(hashlib.sha256(f"{name}:{seed}".encode()).digest())
    canvas = Canvas(rng, name)
    SCENES[name](canvas)
    return canvas.jpeg()


def _light(c: Canvas, choices=("day", "day", "dusk", "overcast")) -> str:
    return c.rng.choice(choices)


def _daylight(c: Canvas, horizon: float, choices=("day", "day", "dusk", "overcast")) -> str:
    light = _light(c, choices)
    c.sky(light, horizon)
    if light == "day":
        c.sun(c.rng.uniform(200, 1400), c.rng.uniform(90, 180), 46)
        c.clouds(c.rng.randint(2, 4), (246, 248, 250), bottom=horizon * 0.45)
    elif light == "dusk":
        c.sun(c.rng.uniform(300, 1300), horizon - 40, 70, (255, 200, 120))
    else:
        c.clouds(6, (196, 200, 206), top=20, bottom=horizon * 0.5)
    return light


def _house(c: Canvas, x: float, base: float, width: float, height: float) -> None:
    wall, roof = c.rng.choice(WALLS), c.rng.choice(ROOFS)
    c.rect(x, base - height, x + width, base, wall)
    c.poly(
        [
            (x - 12, base - height),
            (x + width / 2, base - height - width * 0.45),
            (x + width + 12, base - height),
        ],
        roof,
    )
    c.windows(
        x + width * 0.1,
        base - height * 0.85,
        x + width * 0.9,
        base - height * 0.15,
        2,
        2,
        (92, 112, 136),
    )


def _street_of_houses(c: Canvas, base: float, scale: float = 1.0) -> None:
    x = c.rng.uniform(-60, 0)
    while x < WIDTH:
        width = c.rng.uniform(120, 190) * scale
        _house(c, x, base, width, c.rng.uniform(110, 170) * scale)
        x += width + c.rng.uniform(20, 50) * scale


# The sea


def _quay(c: Canvas, x0: float, top: float) -> None:
    c.rect(x0, top, WIDTH, HEIGHT, STONE)
    c.rect(x0, top, WIDTH, top + 14, shade(STONE, 0.3))
    for y in range(int(top) + 40, HEIGHT, 46):
        c.line([(x0, y), (WIDTH, y)], shade(STONE, -0.12), 2)


def _boat(c: Canvas, x: float, waterline: float, length: float, hull: Colour) -> None:
    c.poly(
        [
            (x, waterline - length * 0.16),
            (x + length, waterline - length * 0.2),
            (x + length * 0.86, waterline + length * 0.04),
            (x + length * 0.1, waterline + length * 0.04),
        ],
        hull,
    )
    c.rect(
        x + length * 0.18,
        waterline - length * 0.17,
        x + length * 0.98,
        waterline - length * 0.13,
        WHITE,
    )
    c.rect(
        x + length * 0.55,
        waterline - length * 0.36,
        x + length * 0.8,
        waterline - length * 0.17,
        WHITE,
    )
    c.windows(
        x + length * 0.57,
        waterline - length * 0.33,
        x + length * 0.78,
        waterline - length * 0.24,
        1,
        3,
        (70, 96, 120),
    )
    c.line(
        [
            (x + length * 0.35, waterline - length * 0.17),
            (x + length * 0.35, waterline - length * 0.62),
        ],
        (60, 60, 60),
        6,
    )
    c.line(
        [
            (x + length * 0.35, waterline - length * 0.6),
            (x + length * 0.05, waterline - length * 0.18),
        ],
        (60, 60, 60),
        2,
    )


@scene("harbour_nets")
def harbour_nets(c: Canvas) -> None:
    _daylight(c, 520)
    c.ridge(520, 60, (110, 140, 130), bumps=2)
    c.sea(520, SEA)
    _boat(
        c,
        c.rng.uniform(80, 220),
        690,
        640,
        c.rng.choice([(196, 60, 48), (40, 90, 150), (230, 170, 40)]),
    )
    _quay(c, 930, 620)
    for _ in range(4):
        x, y = c.rng.uniform(990, 1460), c.rng.uniform(660, 760)
        colour = c.rng.choice([(226, 110, 60), (70, 140, 110), (60, 110, 170)])
        c.ellipse(x, y, x + 200, y + 110, colour)
        for k in range(1, 8):
            c.line([(x + k * 25, y + 8), (x + k * 25 - 20, y + 100)], shade(colour, -0.3), 2)
        c.line([(x + 10, y + 55), (x + 190, y + 55)], shade(colour, -0.3), 2)
    for _ in range(3):
        c.circle(c.rng.uniform(1000, 1550), c.rng.uniform(800, 860), 22, (230, 70, 50))


@scene("storm_harbour")
def storm_harbour(c: Canvas) -> None:
    c.sky("storm", 560)
    c.clouds(7, (76, 84, 98), top=20, bottom=300)
    c.sea(560, (52, 82, 100), rough=1.0)
    top = 650
    c.poly([(0, top + 30), (WIDTH, top - 40), (WIDTH, HEIGHT), (0, HEIGHT)], STONE)
    c.poly([(0, top + 30), (WIDTH, top - 40), (WIDTH, top - 20), (0, top + 50)], shade(STONE, 0.3))
    c.rect(1380, top - 250, 1440, top - 40, WHITE)
    c.rect(1370, top - 280, 1450, top - 250, (200, 60, 50))
    for _ in range(5):
        x = c.rng.uniform(100, 1250)
        y = top + 30 - 70 * x / WIDTH
        for _ in range(9):
            c.circle(
                x + c.rng.uniform(-90, 90),
                y - c.rng.uniform(0, 170),
                c.rng.uniform(24, 60),
                (222, 232, 238),
            )


@scene("lighthouse")
def lighthouse(c: Canvas) -> None:
    c.sky("night", 600)
    c.stars(120, 420)
    c.circle(1380, 130, 56, (242, 238, 214))
    beam = (90, 100, 120)
    c.poly([(560, 290), (0, 130), (0, 360)], beam)
    c.poly([(620, 290), (WIDTH, 160), (WIDTH, 420)], beam)
    c.sea(600, NIGHT_SEA, rough=0.7)
    c.poly([(260, HEIGHT), (360, 640), (520, 600), (760, 630), (900, HEIGHT)], (54, 58, 66))
    base, top = 640, 300
    for band in range(5):
        y0 = base - (base - top) * band / 5
        y1 = base - (base - top) * (band + 1) / 5
        half0, half1 = 70 - 24 * band / 5, 70 - 24 * (band + 1) / 5
        colour = WHITE if band % 2 == 0 else (190, 50, 50)
        c.poly([(590 - half0, y0), (590 + half0, y0), (590 + half1, y1), (590 - half1, y1)], colour)
    c.rect(545, top - 60, 635, top, (255, 226, 130))
    c.poly([(530, top - 60), (650, top - 60), (590, top - 110)], (40, 40, 48))
    for x, y, size in ((980, 250, 70), (1120, 330, 44)):
        c.arc(x - size, y - size / 2, x, y + size / 2, 200, 330, (236, 236, 236), 7)
        c.arc(x, y - size / 2, x + size, y + size / 2, 210, 340, (236, 236, 236), 7)


@scene("container_quay")
def container_quay(c: Canvas) -> None:
    _daylight(c, 560, ("day", "day", "overcast"))
    c.sea(560, SEA)
    _quay(c, 0, 640)
    for crane_x in (180, 700, 1220):
        leg = (60, 130, 170)
        c.line([(crane_x, 640), (crane_x, 200)], leg, 16)
        c.line([(crane_x + 160, 640), (crane_x + 160, 200)], leg, 16)
        c.line([(crane_x - 180, 220), (crane_x + 320, 220)], leg, 20)
        c.line([(crane_x, 360), (crane_x + 160, 360)], leg, 10)
    for stack in range(7):
        x = 60 + stack * 220
        for level in range(c.rng.randint(1, 3)):
            colour = vary(c.rng.choice(BRIGHT), c.rng)
            y = 820 - level * 70
            c.rect(x, y - 66, x + 200, y, colour)
            for rib in range(1, 10):
                c.line([(x + rib * 20, y - 60), (x + rib * 20, y - 6)], shade(colour, -0.2), 2)
    x = c.rng.uniform(300, 1100)
    c.rect(x, 560, x + 180, 590, (230, 190, 40))
    c.line([(x + 10, 590), (x + 10, 840)], (230, 190, 40), 14)
    c.line([(x + 170, 590), (x + 170, 840)], (230, 190, 40), 14)


@scene("sailing_ship")
def sailing_ship(c: Canvas) -> None:
    _daylight(c, 540)
    c.sea(540, SEA)
    hull = c.rng.choice([(40, 46, 60), (110, 40, 36), (30, 70, 60)])
    c.poly([(80, 560), (1080, 560), (1010, 700), (150, 700)], hull)
    c.rect(80, 560, 1080, 580, WHITE)
    for mast in (320, 620, 900):
        c.line([(mast, 560), (mast, 130)], (90, 70, 50), 10)
        for k, width in enumerate((125, 110, 92)):
            y = 170 + k * 120
            c.poly(
                [
                    (mast - width, y),
                    (mast + width, y),
                    (mast + width * 0.9, y + 100),
                    (mast - width * 0.9, y + 100),
                ],
                (240, 232, 214),
            )
    _quay(c, 1100, 620)
    for row in range(3):
        for k in range(5 - row):
            x, y = 1150 + k * 82 + row * 40, 840 - row * 52
            c.rect(x, y - 60, x + 78, y, (196, 170, 120), 18)


@scene("observatory")
def observatory(c: Canvas) -> None:
    c.sky("night", 640)
    c.stars(220, 600)
    for _ in range(260):
        t = c.rng.random()
        x = t * WIDTH
        y = 80 + t * 420 + c.rng.gauss(0, 50)
        c.circle(x, y, c.rng.uniform(0.8, 2), (200, 206, 236))
    c.ridge(680, 120, (66, 50, 52), bumps=2)
    c.rect(0, 740, WIDTH, HEIGHT, (92, 70, 60))
    x = c.rng.uniform(600, 900)
    c.rect(x, 520, x + 300, 740, (214, 216, 222))
    c.pie(x - 10, 370, x + 310, 670, 180, 360, (232, 234, 238))
    c.poly([(x + 130, 390), (x + 170, 390), (x + 175, 520), (x + 125, 520)], (40, 44, 60))
    c.rect(x + 120, 640, x + 180, 740, (120, 124, 134))


@scene("polar_station")
def polar_station(c: Canvas) -> None:
    c.sky("polar", 600)
    c.ridge(600, 50, (220, 232, 242), bumps=2)
    c.rect(0, 640, WIDTH, HEIGHT, (240, 246, 250))
    x = c.rng.uniform(250, 600)
    c.rect(x, 560, x + 600, 700, (210, 80, 50))
    c.windows(x + 20, 580, x + 580, 640, 1, 8, (60, 80, 100))
    for leg in range(5):
        c.rect(x + 30 + leg * 130, 700, x + 50 + leg * 130, 760, (80, 80, 90))
    for k, tx in enumerate((1050, 1280, 1480)):
        tower_top = 260 + k * 40
        c.line([(tx, 720), (tx, tower_top)], (236, 238, 240), 12)
        turn = c.rng.uniform(0, 120)
        for blade in range(3):
            angle = math.radians(turn + blade * 120)
            c.line(
                [(tx, tower_top), (tx + 150 * math.cos(angle), tower_top + 150 * math.sin(angle))],
                (250, 250, 250),
                10,
            )
        c.circle(tx, tower_top, 12, (180, 184, 190))


@scene("glacier")
def glacier(c: Canvas) -> None:
    _daylight(c, 700, ("day", "day", "overcast"))
    c.peaks(620, (110, 118, 132), (244, 248, 252))
    left = [
        (700 - 140 * t + 30 * math.sin(t * 9), 330 + 400 * t) for t in (k / 12 for k in range(13))
    ]
    right = [
        (900 + 170 * t + 30 * math.sin(t * 7 + 1), 330 + 400 * t)
        for t in (k / 12 for k in range(13))
    ]
    c.poly(left + right[::-1], (206, 230, 242))
    for k in range(1, 7):
        t = k / 7
        y = 330 + 400 * t
        c.arc(700 - 140 * t + 20, y - 30, 900 + 170 * t - 20, y + 30, 20, 160, (160, 196, 220), 4)
    c.ridge(780, 90, (126, 116, 104), bumps=3)
    c.rect(0, 820, WIDTH, HEIGHT, (140, 128, 112))


# Buildings


def _columns(
    c: Canvas, x0: float, x1: float, top: float, base: float, count: int, colour: Colour
) -> None:
    step = (x1 - x0) / count
    for k in range(count):
        cx = x0 + step * (k + 0.5)
        c.rect(cx - step * 0.18, top, cx + step * 0.18, base, colour)
        c.rect(cx - step * 0.26, top - 12, cx + step * 0.26, top, shade(colour, -0.05))


def _pavement(c: Canvas, top: float = 760) -> None:
    c.rect(0, top, WIDTH, HEIGHT, (196, 190, 180))
    c.rect(0, top, WIDTH, top + 10, (220, 214, 206))


@scene("parliament")
def parliament(c: Canvas) -> None:
    _daylight(c, 760)
    stone = vary((226, 218, 200), c.rng, 10)
    c.rect(420, 330, 1180, 360, shade(stone, -0.08))
    c.pie(620, 150, 980, 510, 180, 360, vary((120, 150, 140), c.rng))
    c.rect(680, 300, 920, 340, stone)
    c.line([(800, 150), (800, 70)], (80, 80, 80), 5)
    c.rect(800, 70, 880, 118, c.rng.choice(BRIGHT))
    c.rect(200, 420, 1400, 760, stone)
    c.poly([(380, 420), (800, 300), (1220, 420)], shade(stone, -0.05))
    _columns(c, 400, 1200, 440, 720, 8, shade(stone, 0.35))
    c.windows(210, 460, 390, 720, 3, 2, (96, 106, 120))
    c.windows(1210, 460, 1390, 720, 3, 2, (96, 106, 120))
    for step in range(3):
        c.rect(
            360 - step * 20,
            720 + step * 14,
            1240 + step * 20,
            734 + step * 14,
            shade(stone, -0.1 * step),
        )
    _pavement(c)


@scene("bank")
def bank(c: Canvas) -> None:
    _daylight(c, 760)
    _street_of_houses(c, 760, 1.2)
    stone = vary((218, 212, 202), c.rng, 10)
    c.rect(460, 330, 1140, 760, stone)
    c.poly([(440, 330), (800, 200), (1160, 330)], shade(stone, -0.06))
    c.rect(500, 350, 1100, 390, shade(stone, -0.15))
    _columns(c, 500, 1100, 410, 710, 6, shade(stone, 0.35))
    c.rect(740, 560, 860, 710, (70, 60, 52))
    for step in range(3):
        c.rect(
            480 - step * 16,
            710 + step * 16,
            1120 + step * 16,
            726 + step * 16,
            shade(stone, -0.1 * step),
        )
    _pavement(c)


@scene("town_hall")
def town_hall(c: Canvas) -> None:
    _daylight(c, 760)
    wall = c.rng.choice(WALLS)
    c.rect(260, 420, 1340, 760, wall)
    c.windows(280, 450, 1320, 740, 2, 10, (90, 110, 130))
    c.rect(700, 180, 900, 760, shade(wall, -0.06))
    c.poly([(680, 180), (800, 40), (920, 180)], c.rng.choice(ROOFS))
    c.circle(800, 260, 58, WHITE, outline=(60, 60, 60), width=5)
    c.line([(800, 260), (800, 220)], (40, 40, 40), 6)
    c.line([(800, 260), (830, 270)], (40, 40, 40), 6)
    c.rect(750, 620, 850, 760, (90, 64, 48))
    _pavement(c)


@scene("school", "speed_sign")
def school(c: Canvas) -> None:
    _daylight(c, 740, ("day", "day", "overcast"))
    wall = c.rng.choice([(236, 196, 150), (214, 226, 200), (230, 214, 180)])
    c.rect(180, 380, 1420, 740, wall)
    c.rect(160, 360, 1440, 390, c.rng.choice(ROOFS))
    c.windows(200, 410, 1400, 700, 2, 12, (120, 160, 190))
    c.rect(730, 560, 870, 740, (110, 80, 56))
    c.circle(800, 470, 46, WHITE, outline=(60, 60, 60), width=5)
    c.line([(800, 470), (800, 440)], (40, 40, 40), 5)
    c.line([(800, 470), (822, 478)], (40, 40, 40), 5)
    c.rect(0, 740, WIDTH, HEIGHT, GRASS)
    c.rect(0, 800, WIDTH, HEIGHT, ASPHALT)
    for x in range(0, WIDTH, 40):
        c.line([(x, 730), (x, 790)], (90, 110, 90), 4)
    c.line([(0, 742), (WIDTH, 742)], (90, 110, 90), 4)
    if c.scene == "speed_sign":
        x = c.rng.uniform(1050, 1300)
        c.line([(x, 880), (x, 470)], (140, 144, 150), 14)
        c.circle(x, 420, 120, (210, 40, 40))
        c.circle(x, 420, 92, WHITE)
        c.text(x, 420, "30", 110, (20, 20, 20))
    else:
        c.line([(1500, 740), (1500, 300)], (150, 150, 150), 8)
        c.rect(1500, 300, 1600, 360, c.rng.choice(BRIGHT))


@scene("hospital")
def hospital(c: Canvas) -> None:
    _daylight(c, 760)
    c.rect(380, 180, 1220, 760, (240, 242, 244))
    c.windows(400, 260, 1200, 640, 6, 10, (120, 170, 200))
    c.rect(620, 640, 980, 760, (200, 220, 230))
    c.rect(580, 620, 1020, 650, (60, 130, 110))
    c.rect(770, 60, 830, 200, (60, 150, 110))
    c.rect(730, 100, 870, 160, (60, 150, 110))
    for x in (180, 280, 1330, 1440):
        c.tree(x, 770, 190, vary(GRASS, c.rng))
    _pavement(c, 770)


@scene("apartments")
def apartments(c: Canvas) -> None:
    _daylight(c, 780)
    x = -40
    while x < WIDTH:
        width, height = c.rng.uniform(220, 340), c.rng.uniform(300, 640)
        wall = vary(
            c.rng.choice([(214, 204, 190), (190, 200, 210), (226, 210, 180), (200, 190, 200)]),
            c.rng,
        )
        c.rect(x, 780 - height, x + width, 780, wall)
        c.windows(
            x + 10,
            800 - height,
            x + width - 10,
            760,
            int(height / 60),
            int(width / 55),
            (92, 110, 130),
        )
        x += width + c.rng.uniform(30, 70)
    _pavement(c, 780)


@scene("factory", "rail_siding")
def factory(c: Canvas) -> None:
    _daylight(c, 720, ("day", "overcast", "overcast"))
    wall = vary((196, 188, 176), c.rng)
    x0, x1 = 160, 1440
    c.rect(x0, 440, x1, 720, wall)
    teeth = 8
    width = (x1 - x0) / teeth
    for k in range(teeth):
        x = x0 + k * width
        c.poly([(x, 440), (x + width * 0.75, 330), (x + width * 0.75, 440)], shade(wall, -0.15))
        c.rect(x + width * 0.75 - 8, 330, x + width * 0.75, 440, (160, 190, 210))
    c.rect(1260, 160, 1330, 440, (150, 90, 70))
    c.windows(x0 + 20, 470, x1 - 20, 560, 1, 12, (120, 150, 170))
    for door in range(3):
        dx = 320 + door * 360
        c.rect(dx, 590, dx + 180, 720, (120, 126, 134))
        for k in range(1, 6):
            c.line([(dx, 590 + k * 22), (dx + 180, 590 + k * 22)], (100, 104, 112), 2)
    c.rect(0, 720, WIDTH, HEIGHT, (150, 144, 128) if c.scene == "rail_siding" else ASPHALT)
    if c.scene == "rail_siding":
        for k in range(14):
            y = 736 + (k / 13) ** 1.6 * 160
            t = (y - 730) / 170
            left, right = 766 - 380 * t, 834 + 380 * t
            spread = (right - left) * 0.18
            c.rect(left - spread, y, right + spread, y + 4 + 10 * t, (110, 88, 64))
        c.poly([(760, 730), (772, 730), (420, HEIGHT), (380, HEIGHT)], (90, 90, 96))
        c.poly([(828, 730), (840, 730), (1220, HEIGHT), (1180, HEIGHT)], (90, 90, 96))
        for _ in range(40):
            x, y = c.rng.uniform(0, WIDTH), c.rng.uniform(740, HEIGHT)
            c.line([(x, y), (x + c.rng.uniform(-10, 10), y - 26)], (110, 140, 80), 4)


@scene("guesthouse")
def guesthouse(c: Canvas) -> None:
    _daylight(c, 600, ("day", "day", "dusk"))
    c.peaks(620, (112, 126, 150), (240, 244, 250))
    c.ridge(760, 140, vary((96, 140, 90), c.rng), bumps=2)
    x = c.rng.uniform(450, 750)
    c.rect(x, 470, x + 420, 700, (176, 120, 76))
    for k in range(1, 9):
        c.line([(x, 470 + k * 26), (x + 420, 470 + k * 26)], (150, 100, 62), 3)
    c.poly([(x - 50, 480), (x + 210, 330), (x + 470, 480)], (120, 60, 46))
    c.windows(x + 30, 500, x + 390, 680, 2, 4, (250, 226, 160))
    c.rect(x - 10, 590, x + 430, 604, (120, 80, 50))
    for tx in (200, 320, 1250, 1400):
        c.poly([(tx, 820), (tx + 50, 640), (tx + 100, 820)], (50, 100, 70))
    c.rect(0, 820, WIDTH, HEIGHT, vary(GRASS, c.rng))


@scene("bakery")
def bakery(c: Canvas) -> None:
    wall = vary((222, 196, 160), c.rng)
    c.rect(0, 0, WIDTH, HEIGHT, wall)
    c.rect(200, 300, 1150, 720, (60, 70, 84))
    c.rect(1200, 300, 1420, 760, (110, 70, 50))
    stripe = c.rng.choice([(196, 54, 50), (40, 110, 100), (40, 80, 150)])
    for k in range(12):
        x = 160 + k * 92
        colour = stripe if k % 2 == 0 else WHITE
        c.poly([(x, 170), (x + 92, 170), (x + 100, 290), (x + 8, 290)], colour)
    c.rect(150, 140, 1280, 180, shade(stripe, -0.25))
    c.rect(230, 560, 1120, 580, (140, 100, 70))
    c.rect(230, 440, 1120, 456, (140, 100, 70))
    for shelf in (440, 560):
        for k in range(7):
            x = 270 + k * 122
            c.ellipse(x, shelf - 56, x + 104, shelf, (196, 140, 74))
            c.line([(x + 30, shelf - 44), (x + 50, shelf - 14)], (150, 100, 50), 4)
            c.line([(x + 60, shelf - 44), (x + 80, shelf - 14)], (150, 100, 50), 4)
    _pavement(c, 760)


# Markets and shops


def _stall(c: Canvas, goods: list[Colour], wheels: bool = False) -> None:
    _daylight(c, 620, ("day", "overcast"))
    _street_of_houses(c, 620, 1.1)
    c.rect(0, 620, WIDTH, HEIGHT, (190, 180, 166))
    stripe = c.rng.choice([(196, 54, 50), (40, 110, 100), (230, 150, 40)])
    for k in range(14):
        x = 120 + k * 98
        c.poly([(x, 240), (x + 98, 240), (x + 110, 360), (x + 12, 360)], stripe if k % 2 else WHITE)
    c.line([(140, 360), (140, 820)], (110, 90, 70), 12)
    c.line([(1480, 360), (1480, 820)], (110, 90, 70), 12)
    c.rect(150, 640, 1470, 820, (150, 108, 70))
    if wheels:
        for row in range(2):
            for k in range(6 - row):
                x = 230 + k * 200 + row * 100
                y = 640 - row * 90
                colour = vary((236, 196, 100), c.rng, 10)
                c.ellipse(x, y - 96, x + 190, y, shade(colour, -0.25))
                c.ellipse(x + 8, y - 92, x + 182, y - 30, colour)
    else:
        for k in range(6):
            c.crate(200 + k * 212, 660, 190, (176, 130, 80), vary(c.rng.choice(goods), c.rng, 10))


@scene("stall_vegetables")
def stall_vegetables(c: Canvas) -> None:
    _stall(c, [(210, 50, 40), (170, 120, 70), (100, 160, 70), (240, 150, 40), (120, 60, 110)])


@scene("stall_cheese")
def stall_cheese(c: Canvas) -> None:
    _stall(c, [], wheels=True)


@scene("stall_apricots")
def stall_apricots(c: Canvas) -> None:
    _stall(c, [(244, 160, 60), (236, 140, 50), (250, 178, 80)])


def _shelves(c: Canvas, draw_item: Callable[[float, float], None]) -> None:
    c.gradient((206, 184, 150), (170, 140, 104))
    for shelf in (300, 520, 740):
        c.rect(140, shelf, 1460, shelf + 22, (120, 80, 48))
        x = 170.0
        while x < 1360:
            draw_item(x, shelf)
            x += c.rng.uniform(150, 190)
    c.rect(120, 80, 150, 900, (110, 74, 44))
    c.rect(1450, 80, 1480, 900, (110, 74, 44))


@scene("bread")
def bread(c: Canvas) -> None:
    def loaf(x: float, shelf: float) -> None:
        colour = vary((196, 136, 70), c.rng, 14)
        c.ellipse(x, shelf - 80, x + 140, shelf + 4, colour)
        for k in range(3):
            c.line(
                [(x + 30 + k * 32, shelf - 68), (x + 50 + k * 32, shelf - 26)],
                shade(colour, -0.25),
                5,
            )

    _shelves(c, loaf)


@scene("cheese_store")
def cheese_store(c: Canvas) -> None:
    def wheel(x: float, shelf: float) -> None:
        colour = vary((232, 190, 96), c.rng, 10)
        c.rect(x, shelf - 110, x + 140, shelf, shade(colour, -0.2), 30)
        c.rect(x + 10, shelf - 100, x + 130, shelf - 10, colour, 26)

    _shelves(c, wheel)


@scene("card_payment")
def card_payment(c: Canvas) -> None:
    c.gradient((236, 222, 200), (210, 190, 166))
    c.rect(0, 620, WIDTH, HEIGHT, (150, 104, 70))
    c.rect(0, 620, WIDTH, 640, (176, 126, 86))
    c.rect(640, 360, 920, 700, (44, 48, 56), 30)
    c.rect(670, 390, 890, 500, (140, 200, 190), 8)
    for row in range(3):
        for col in range(3):
            c.rect(690 + col * 66, 530 + row * 52, 740 + col * 66, 566 + row * 52, (90, 96, 106), 6)
    c.poly([(940, 140), (1120, 180), (1050, 520), (870, 480)], (30, 32, 40))
    c.poly([(955, 165), (1100, 197), (1038, 495), (893, 463)], (90, 150, 210))
    for r in (60, 100, 140):
        c.arc(860 - r, 340 - r, 860 + r, 340 + r, 200, 250, (40, 120, 100), 8)
    c.ellipse(120, 560, 420, 640, (196, 140, 74))


@scene("radiator")
def radiator(c: Canvas) -> None:
    c.gradient(vary((226, 222, 210), c.rng), (200, 196, 184))
    c.rect(0, 780, WIDTH, HEIGHT, (150, 120, 96))
    c.rect(480, 80, 1120, 360, (160, 200, 226))
    c.rect(470, 70, 1130, 90, WHITE)
    c.rect(470, 350, 1130, 372, WHITE)
    c.line([(800, 80), (800, 360)], WHITE, 12)
    for k in range(12):
        x = 420 + k * 62
        c.rect(x, 440, x + 48, 720, (238, 238, 236), 14)
    c.rect(420, 470, 1158, 490, (226, 226, 224))
    c.line([(1180, 700), (1300, 700), (1300, 900)], (190, 190, 190), 16)
    c.rect(1240, 560, 1360, 660, (250, 250, 250), 10)
    c.rect(1260, 580, 1340, 615, (60, 120, 110), 4)


@scene("queue")
def queue(c: Canvas) -> None:
    c.gradient((214, 222, 226), (190, 198, 204))
    c.rect(0, 700, WIDTH, HEIGHT, (176, 170, 160))
    c.rect(1100, 260, 1560, 720, (120, 140, 160))
    for k in range(2):
        c.rect(1140 + k * 210, 320, 1310 + k * 210, 520, (200, 226, 236))
    c.rect(1100, 520, 1560, 560, (90, 104, 120))
    x = 1000.0
    for _ in range(6):
        height = c.rng.uniform(330, 420)
        c.person(
            x,
            800,
            height,
            vary(c.rng.choice(BRIGHT), c.rng, 30),
            c.rng.choice([(230, 190, 160), (180, 130, 100), (120, 84, 60)]),
        )
        x -= c.rng.uniform(150, 180)


@scene("warehouse")
def warehouse(c: Canvas) -> None:
    c.gradient((196, 200, 206), (170, 174, 180))
    c.rect(0, 720, WIDTH, HEIGHT, (150, 150, 146))
    for rack in range(5):
        x = rack * 340 - 40
        c.rect(x, 60, x + 14, 720, (40, 90, 160))
        c.rect(x + 300, 60, x + 314, 720, (40, 90, 160))
        for level in range(4):
            y = 200 + level * 170
            c.rect(x, y, x + 314, y + 16, (230, 120, 40))
            if c.rng.random() < 0.8:
                c.rect(x + 30, y - 110, x + 284, y, (196, 160, 110))
                c.line([(x + 157, y - 110), (x + 157, y)], (160, 126, 80), 4)
    x = c.rng.uniform(300, 900)
    c.rect(x, 560, x + 260, 760, (240, 180, 30), 16)
    c.rect(x + 40, 460, x + 200, 570, (60, 60, 66))
    c.rect(x + 60, 480, x + 180, 560, (160, 200, 220))
    c.line([(x + 280, 360), (x + 280, 780)], (60, 60, 66), 16)
    c.line([(x + 280, 770), (x + 470, 770)], (60, 60, 66), 10)
    c.rect(x + 300, 640, x + 470, 760, (196, 160, 110))
    c.circle(x + 60, 770, 44, (30, 30, 34))
    c.circle(x + 210, 770, 44, (30, 30, 34))


# Streets and roads


def _tracks(c: Canvas, y: float) -> None:
    c.rect(0, y, WIDTH, y + 10, (120, 120, 124))
    c.rect(0, y + 44, WIDTH, y + 54, (120, 120, 124))


@scene("tram")
def tram(c: Canvas) -> None:
    _daylight(c, 640)
    x = -30
    while x < WIDTH:
        width, height = c.rng.uniform(200, 300), c.rng.uniform(260, 420)
        wall = vary(c.rng.choice(WALLS), c.rng, 12)
        c.rect(x, 640 - height, x + width, 640, wall)
        c.windows(x + 10, 660 - height, x + width - 10, 620, int(height / 80), 3, (100, 120, 140))
        x += width + 10
    c.rect(0, 640, WIDTH, HEIGHT, ASPHALT)
    c.line([(0, 130), (WIDTH, 130)], (50, 50, 50), 3)
    _tracks(c, 800)
    colour = c.rng.choice([(214, 60, 50), (240, 190, 40), (40, 120, 170), (60, 150, 100)])
    left = c.rng.uniform(150, 350)
    c.rect(left, 430, left + 1100, 800, colour, 40)
    c.rect(left, 700, left + 1100, 730, shade(colour, -0.25))
    c.windows(left + 40, 470, left + 1060, 640, 1, 8, (170, 210, 230))
    c.line([(left + 500, 430), (left + 560, 330), (left + 500, 130)], (50, 50, 50), 6)


@scene("road_works")
def road_works(c: Canvas) -> None:
    _daylight(c, 460, ("day", "day", "overcast"))
    c.ridge(470, 80, vary((120, 150, 100), c.rng), bumps=2)
    c.rect(0, 460, WIDTH, HEIGHT, vary(GRASS, c.rng))
    c.poly([(760, 460), (840, 460), (1400, HEIGHT), (200, HEIGHT)], ASPHALT)
    for k in range(6):
        y0, y1 = 470 + k * k * 14, 470 + (k + 0.5) ** 2 * 14
        c.poly(
            [(798, y0), (802, y0), (802 + (y1 - 460) * 0.015, y1), (798 - (y1 - 460) * 0.015, y1)],
            WHITE,
        )
    for k in range(7):
        t = k / 6
        x, y, size = 640 - 300 * t, 520 + 330 * t, 30 + 60 * t
        c.poly([(x, y - size * 1.6), (x + size * 0.6, y), (x - size * 0.6, y)], (240, 110, 30))
        c.rect(x - size * 0.3, y - size * 0.9, x + size * 0.3, y - size * 0.6, WHITE)
    x = c.rng.uniform(980, 1120)
    c.rect(x, 560, x + 300, 700, (240, 190, 30), 20)
    c.rect(x + 170, 460, x + 290, 570, (60, 60, 66))
    c.circle(x + 60, 720, 90, (80, 80, 86))
    c.circle(x + 250, 740, 60, (40, 40, 44))


@scene("trench")
def trench(c: Canvas) -> None:
    _daylight(c, 560)
    _street_of_houses(c, 560, 1.3)
    c.rect(0, 560, WIDTH, HEIGHT, ASPHALT)
    c.poly([(0, 700), (WIDTH, 620), (WIDTH, 700), (0, 800)], (96, 70, 50))
    c.poly([(0, 720), (WIDTH, 640), (WIDTH, 680), (0, 780)], (62, 44, 32))
    c.poly([(0, 820), (WIDTH, 720), (WIDTH, 752), (0, 860)], (40, 100, 170))
    for k in range(6):
        x = 100 + k * 280
        y = 650 - (x / WIDTH) * 80
        c.rect(x, y - 50, x + 200, y - 30, (220, 60, 50))
        c.rect(x + 10, y - 30, x + 24, y + 20, (60, 60, 60))
        c.rect(x + 176, y - 30, x + 190, y + 20, (60, 60, 60))


@scene("bridge_closed")
def bridge_closed(c: Canvas) -> None:
    _daylight(c, 560, ("day", "overcast"))
    c.ridge(560, 90, vary((110, 150, 100), c.rng), bumps=2)
    c.rect(0, 600, WIDTH, HEIGHT, (90, 130, 150))
    c.poly([(0, 560), (260, 600), (180, HEIGHT), (0, HEIGHT)], GRASS)
    c.poly([(WIDTH, 560), (1340, 600), (1420, HEIGHT), (WIDTH, HEIGHT)], GRASS)
    stone = vary(STONE, c.rng)
    c.rect(0, 440, WIDTH, 660, stone)
    for k in range(3):
        x = 180 + k * 440
        c.pie(x, 540, x + 360, 780, 180, 360, (90, 130, 150))
        c.rect(x, 660, x + 360, 680, (90, 130, 150))
    c.rect(0, 660, WIDTH, 680, (90, 130, 150))
    c.rect(0, 420, WIDTH, 440, shade(stone, 0.25))
    for x in (520, 980):
        c.rect(x, 330, x + 220, 360, (220, 50, 40))
        for k in range(4):
            c.rect(x + 10 + k * 55, 330, x + 36 + k * 55, 360, WHITE)
        c.rect(x + 10, 360, x + 24, 420, (70, 70, 70))
        c.rect(x + 196, 360, x + 210, 420, (70, 70, 70))


@scene("minibus")
def minibus(c: Canvas) -> None:
    _daylight(c, 560)
    c.ridge(540, 180, vary((110, 150, 100), c.rng), bumps=2)
    _street_of_houses(c, 640)
    c.rect(0, 640, WIDTH, HEIGHT, (190, 182, 168))
    x = c.rng.uniform(400, 700)
    colour = c.rng.choice([WHITE, (240, 200, 60), (200, 220, 236)])
    c.rect(x, 560, x + 640, 800, colour, 40)
    c.windows(x + 30, 580, x + 600, 680, 1, 5, (80, 110, 140))
    c.rect(x, 720, x + 640, 740, c.rng.choice(BRIGHT))
    c.circle(x + 130, 810, 48, (30, 30, 34))
    c.circle(x + 510, 810, 48, (30, 30, 34))


@scene("landslide")
def landslide(c: Canvas) -> None:
    _daylight(c, 500, ("overcast", "overcast", "day"))
    c.peaks(560, (116, 110, 104), None)
    c.poly([(0, 380), (900, 520), (WIDTH, 600), (WIDTH, HEIGHT), (0, HEIGHT)], (120, 140, 96))
    c.poly([(0, 640), (WIDTH, 560), (WIDTH, 680), (0, 800)], ASPHALT)
    c.poly([(500, 330), (760, 320), (1100, 720), (460, 780)], (132, 100, 70))
    for _ in range(14):
        x, y, r = c.rng.uniform(520, 1080), c.rng.uniform(560, 760), c.rng.uniform(30, 80)
        grey = c.rng.randint(120, 170)
        c.ellipse(x - r, y - r * 0.7, x + r, y + r * 0.7, (grey, grey - 4, grey - 10))


@scene("hill_town")
def hill_town(c: Canvas) -> None:
    _daylight(c, 520)
    c.ridge(460, 260, vary((120, 158, 100), c.rng), bumps=1)
    x = c.rng.uniform(900, 1200)
    for leg in (0, 140):
        c.line([(x + leg, 330), (x + leg, 200)], (90, 90, 96), 8)
    c.rect(x - 20, 120, x + 160, 210, (190, 196, 204), 20)
    for row in range(4):
        base = 600 + row * 95
        _street_of_houses(c, base, 0.8 + row * 0.12)


@scene("town_square")
def town_square(c: Canvas) -> None:
    _daylight(c, 600)
    x = -20
    while x < WIDTH:
        width, height = c.rng.uniform(170, 240), c.rng.uniform(240, 360)
        c.rect(x, 600 - height, x + width, 600, vary(c.rng.choice(WALLS), c.rng, 12))
        c.poly(
            [(x, 600 - height), (x + width / 2, 600 - height - 70), (x + width, 600 - height)],
            c.rng.choice(ROOFS),
        )
        c.windows(x + 10, 620 - height, x + width - 10, 580, 3, 3, (100, 120, 140))
        x += width + 6
    c.rect(0, 600, WIDTH, HEIGHT, (200, 190, 174))
    for k in range(10):
        c.line([(k * 180 - 200, HEIGHT), (800, 600)], (186, 176, 160), 3)
    c.ellipse(600, 700, 1000, 800, (150, 146, 140))
    c.ellipse(620, 705, 980, 780, (120, 170, 190))


@scene("water_plant")
def water_plant(c: Canvas) -> None:
    _daylight(c, 560, ("day", "overcast"))
    c.ridge(560, 70, vary((120, 150, 100), c.rng), bumps=2)
    c.rect(0, 560, WIDTH, HEIGHT, vary(GRASS, c.rng))
    for k, (x, y, r) in enumerate(((120, 640, 230), (640, 620, 200), (1120, 660, 250))):
        c.ellipse(x, y, x + r * 2, y + r * 0.6, (196, 198, 200))
        c.ellipse(
            x + 16,
            y + 8,
            x + r * 2 - 16,
            y + r * 0.6 - 8,
            (90, 150, 170) if k != 1 else (110, 140, 120),
        )
        c.rect(x, y + r * 0.3, x + r * 2, y + r * 0.3 + 60, (170, 172, 176))
    c.rect(560, 420, 900, 600, (220, 214, 200))
    c.windows(580, 440, 880, 580, 2, 5, (100, 120, 140))
    c.line([(0, 860), (WIDTH, 860)], (150, 150, 150), 6)


@scene("river_flood")
def river_flood(c: Canvas) -> None:
    _daylight(c, 480, ("overcast", "storm"))
    c.ridge(480, 100, vary((100, 130, 96), c.rng), bumps=2)
    for k in range(6):
        x = 100 + k * 250
        _house(c, x, 660, 170, 190)
    c.gradient((130, 120, 96), (96, 88, 70), 600, HEIGHT)
    for _ in range(50):
        x, y = c.rng.uniform(0, WIDTH), c.rng.uniform(620, HEIGHT)
        c.line([(x, y), (x + 80, y)], (150, 140, 116), 3)
    for x in (60, 1500):
        c.tree(x, 700, 220, (80, 120, 80))


@scene("hail_orchard")
def hail_orchard(c: Canvas) -> None:
    c.sky("storm", 560)
    c.clouds(8, (70, 78, 92), top=10, bottom=200)
    c.rect(0, 560, WIDTH, HEIGHT, (96, 130, 80))
    for row in range(3):
        for k in range(7):
            c.tree(
                80 + k * 240 + row * 60,
                620 + row * 110,
                200 + row * 40,
                (70, 120, 70),
                (200, 50, 40),
            )
    for _ in range(240):
        x, y = c.rng.uniform(0, WIDTH), c.rng.uniform(0, HEIGHT)
        c.line([(x, y), (x - 10, y - 30)], (220, 226, 234), 2)
        c.circle(x, y, 4, (240, 244, 250))
    for _ in range(20):
        c.circle(c.rng.uniform(0, WIDTH), c.rng.uniform(820, 890), 14, (180, 50, 40))


@scene("orchard_sensor", "apple_crates")
def orchard(c: Canvas) -> None:
    _daylight(c, 460)
    c.ridge(460, 70, vary((110, 150, 100), c.rng), bumps=2)
    c.rect(0, 460, WIDTH, HEIGHT, (150, 120, 86))
    crates = c.scene == "apple_crates"
    for row in range(4):
        for k in range(9):
            size = 60 + row * 45 + (60 if crates else 0)
            fruit = (200, 50, 40) if crates else None
            c.tree(40 + k * 190 + row * 40, 500 + row * 70, size, (90, 150, 80), fruit)
    if crates:
        for row in range(3):
            for k in range(4 - row):
                c.crate(
                    460 + k * 200 + row * 100, 880 - row * 100, 190, (176, 130, 80), (200, 40, 40)
                )
    else:
        x = c.rng.uniform(700, 1000)
        c.line([(x, 880), (x, 560)], (200, 200, 200), 12)
        c.rect(x - 60, 560, x + 60, 660, (240, 240, 236), 10)
        c.circle(x, 610, 14, (60, 170, 90))
        c.poly([(x - 90, 520), (x + 90, 500), (x + 90, 540), (x - 90, 560)], (40, 60, 100))


@scene("solar_sheep")
def solar_sheep(c: Canvas) -> None:
    _daylight(c, 440, ("day", "day", "dusk"))
    c.ridge(440, 60, vary((120, 160, 100), c.rng), bumps=2)
    c.rect(0, 440, WIDTH, HEIGHT, vary(GRASS, c.rng))
    for row in range(4):
        y = 480 + row * row * 30 + row * 60
        depth = 40 + row * 30
        c.poly([(0, y + depth), (WIDTH, y + depth), (WIDTH, y), (0, y)], (36, 56, 96))
        for k in range(0, WIDTH, 80 + row * 20):
            c.line([(k, y), (k, y + depth)], (120, 150, 190), 2)
        c.rect(0, y + depth, WIDTH, y + depth + 4 + row, (80, 80, 86))
    for _ in range(5):
        x, y = c.rng.uniform(100, 1500), c.rng.uniform(800, 860)
        c.ellipse(x - 70, y - 40, x + 70, y + 40, (240, 238, 230))
        c.ellipse(x + 50, y - 50, x + 100, y - 10, (50, 46, 44))
        for lx in (-40, 30):
            c.line([(x + lx, y + 30), (x + lx, y + 70)], (50, 46, 44), 8)


def _train(c: Canvas, containers: bool) -> None:
    _daylight(c, 560)
    c.peaks(600, vary((110, 124, 148), c.rng), (240, 244, 250))
    c.ridge(700, 150, vary((100, 140, 90), c.rng), bumps=2)
    c.rect(0, 760, WIDTH, HEIGHT, vary((120, 150, 96), c.rng))
    c.rect(0, 770, WIDTH, 790, (110, 100, 90))
    colour = c.rng.choice([(190, 50, 40), (40, 100, 160), (60, 130, 90)])
    c.rect(60, 620, 360, 770, colour, 20)
    c.rect(260, 570, 360, 640, colour, 10)
    c.windows(80, 640, 240, 700, 1, 2, (170, 210, 230))
    x = 380
    while x < WIDTH:
        if containers:
            c.rect(x, 740, x + 300, 770, (60, 60, 64))
            c.rect(x + 10, 630, x + 290, 740, vary(c.rng.choice(BRIGHT), c.rng))
        else:
            c.rect(x, 640, x + 260, 770, shade(colour, 0.15), 20)
            c.windows(x + 10, 660, x + 250, 720, 1, 4, (170, 210, 230))
        x += 320 if containers else 280
    for k in range(0, WIDTH, 220):
        c.circle(k + 80, 775, 18, (40, 40, 44))


@scene("mountain_train")
def mountain_train(c: Canvas) -> None:
    _train(c, containers=False)


@scene("container_train")
def container_train(c: Canvas) -> None:
    _train(c, containers=True)


@scene("village_street")
def village_street(c: Canvas) -> None:
    _daylight(c, 480, ("day", "dusk"))
    c.peaks(520, vary((120, 130, 150), c.rng), (240, 244, 250))
    c.rect(0, 520, WIDTH, HEIGHT, (170, 150, 120))
    c.poly([(760, 520), (840, 520), (1200, HEIGHT), (400, HEIGHT)], (196, 180, 150))
    for side in (-1, 1):
        for k in range(4):
            t = k / 3
            size = 110 + t * 260
            x = 800 + side * (120 + t * 520) - (size if side < 0 else 0)
            stone = vary((186, 170, 146), c.rng, 12)
            c.rect(x, 560 - size * 0.2, x + size, 560 + size * 0.9, stone)
            c.poly(
                [
                    (x - 10, 560 - size * 0.2),
                    (x + size / 2, 560 - size * 0.55),
                    (x + size + 10, 560 - size * 0.2),
                ],
                (120, 86, 70),
            )
            c.rect(
                x + size * 0.35, 560 + size * 0.3, x + size * 0.65, 560 + size * 0.9, (90, 70, 56)
            )


@scene("reservoir")
def reservoir(c: Canvas) -> None:
    _daylight(c, 420, ("day", "day"))
    c.ridge(420, 120, vary((150, 140, 100), c.rng), bumps=2)
    c.rect(0, 420, WIDTH, HEIGHT, (176, 150, 110))
    c.ellipse(100, 480, 1500, 880, (214, 196, 160))
    c.ellipse(420, 580, 1180, 800, (90, 140, 160))
    for k in range(4):
        c.ellipse(
            100 + k * 60,
            480 + k * 20,
            1500 - k * 60,
            880 - k * 16,
            None,
            outline=(190, 170, 130),
            width=3,
        )
    for _ in range(12):
        x, y = c.rng.uniform(200, 1400), c.rng.uniform(500, 860)
        c.line([(x, y), (x + 30, y + 6)], (160, 130, 96), 3)


# Politics indoors


@scene("chamber")
def chamber(c: Canvas) -> None:
    c.gradient(vary((120, 90, 80), c.rng), (70, 54, 50))
    seat = c.rng.choice([(40, 100, 150), (150, 50, 50), (60, 120, 90)])
    for row in range(6, -1, -1):
        rx, ry = 320 + row * 130, 120 + row * 60
        c.ellipse(800 - rx, 900 - ry, 800 + rx, 900 + ry, shade((140, 104, 76), -0.05 * (row % 2)))
        count = 8 + row * 3
        for k in range(count):
            angle = math.pi + math.pi * (k + 0.5) / count
            x = 800 + (rx - 40) * math.cos(angle)
            y = 900 + (ry - 20) * math.sin(angle)
            c.rect(x - 18, y - 22, x + 18, y + 6, vary(seat, c.rng, 10), 6)
    c.rect(640, 760, 960, 900, (100, 70, 50))
    c.rect(600, 740, 1000, 770, (130, 94, 66))


@scene("lectern")
def lectern(c: Canvas) -> None:
    curtain = vary(c.rng.choice([(40, 70, 120), (110, 40, 50), (50, 90, 80)]), c.rng)
    c.rect(0, 0, WIDTH, 760, curtain)
    for x in range(0, WIDTH, 90):
        c.rect(x, 0, x + 30, 760, shade(curtain, -0.15))
    c.rect(0, 760, WIDTH, HEIGHT, (120, 86, 60))
    c.poly([(620, 480), (980, 480), (940, 860), (660, 860)], (226, 220, 210))
    c.circle(800, 620, 60, curtain)
    c.rect(600, 460, 1000, 490, (200, 194, 184))
    for dx in (-50, 50):
        c.line([(800 + dx, 470), (800 + dx * 1.4, 370)], (40, 40, 40), 6)
        c.ellipse(800 + dx * 1.4 - 16, 340, 800 + dx * 1.4 + 16, 380, (30, 30, 30))
    for x in (260, 1340):
        c.line([(x, 880), (x, 180)], (200, 180, 110), 10)
        c.poly(
            [
                (x, 190),
                (x + 140 * (1 if x < 800 else -1), 210),
                (x + 130 * (1 if x < 800 else -1), 420),
                (x, 400),
            ],
            vary(c.rng.choice(BRIGHT), c.rng),
        )


@scene("signing")
def signing(c: Canvas) -> None:
    c.gradient(vary((210, 200, 184), c.rng), (180, 170, 150))
    c.rect(0, 720, WIDTH, HEIGHT, (130, 100, 76))
    for k in range(4):
        x = 260 + k * 320
        c.rect(x, 280, x + 140, 560, (120, 60, 50), 30)
    c.rect(140, 520, 1460, 560, (236, 232, 226))
    c.rect(140, 560, 1460, 760, (30, 60, 100))
    for k in range(4):
        x = 280 + k * 320
        c.poly([(x, 500), (x + 180, 490), (x + 190, 530), (x + 6, 540)], WHITE)
        c.line([(x + 120, 520), (x + 200, 470)], (30, 30, 30), 5)
        c.line([(x - 40, 520), (x - 40, 430)], (200, 180, 110), 4)
        c.rect(x - 40, 430, x + 10, 462, vary(c.rng.choice(BRIGHT), c.rng))


@scene("music_stage")
def music_stage(c: Canvas) -> None:
    c.gradient((30, 24, 40), (60, 40, 50), 0, 640)
    c.poly([(520, 0), (620, 0), (900, 720), (300, 720)], (70, 56, 70))
    c.poly([(980, 0), (1080, 0), (1300, 720), (760, 720)], (70, 56, 70))
    c.rect(0, 640, WIDTH, HEIGHT, vary((150, 100, 60), c.rng))
    for k in range(0, WIDTH, 120):
        c.line([(k, 640), (k - 200, HEIGHT)], (130, 86, 52), 3)
    for k in range(4):
        angle = math.pi * (0.15 + 0.7 * k / 3)
        x = 800 - 480 * math.cos(angle)
        y = 720 - 90 * math.sin(angle)
        c.rect(x - 50, y - 90, x + 50, y - 70, (40, 30, 30))
        c.rect(x - 50, y - 70, x - 38, y, (40, 30, 30))
        c.rect(x + 38, y - 70, x + 50, y, (40, 30, 30))
        c.rect(x - 50, y - 180, x - 38, y - 90, (40, 30, 30))
        c.line([(x + 70, y + 10), (x + 70, y - 170)], (30, 30, 30), 5)
        c.poly(
            [(x + 20, y - 230), (x + 120, y - 230), (x + 110, y - 170), (x + 30, y - 170)],
            (30, 30, 30),
        )


# Sport


def _seats(c: Canvas, bottom: float) -> None:
    c.gradient((70, 80, 96), (110, 120, 136), 0, bottom)
    for _ in range(500):
        c.circle(
            c.rng.uniform(0, WIDTH),
            c.rng.uniform(20, bottom - 10),
            7,
            vary(c.rng.choice(BRIGHT), c.rng, 30),
        )


@scene("football")
def football(c: Canvas) -> None:
    _seats(c, 360)
    c.rect(0, 360, WIDTH, 380, (240, 240, 240))
    grass = vary((78, 158, 76), c.rng, 14)
    for k in range(8):
        y0, y1 = 380 + k * 65, 380 + (k + 1) * 65
        c.rect(0, y0, WIDTH, y1, grass if k % 2 else shade(grass, 0.08))
    left = c.rng.uniform(240, 720)
    right = left + 640
    c.rect(left, 300, right, 312, WHITE)
    c.rect(left, 300, left + 12, 560, WHITE)
    c.rect(right - 12, 300, right, 560, WHITE)
    for k in range(1, 16):
        c.line([(left + 12 + k * 40, 312), (left + 12 + k * 40, 520)], (220, 220, 220), 2)
    for k in range(1, 6):
        c.line([(left + 12, 312 + k * 40), (right - 12, 312 + k * 40)], (220, 220, 220), 2)
    c.line([(left - 280, 600), (right + 280, 600)], WHITE, 6)
    x, y = c.rng.uniform(300, 1300), c.rng.uniform(660, 820)
    c.circle(x, y, 44, WHITE)
    c.circle(x, y, 14, (30, 30, 30))
    for angle in range(0, 360, 72):
        spot = math.radians(angle)
        c.circle(x + 28 * math.cos(spot), y + 28 * math.sin(spot), 9, (30, 30, 30))


@scene("football_shirt")
def football_shirt(c: Canvas) -> None:
    c.gradient(vary((220, 224, 228), c.rng), (190, 194, 200))
    colour = vary(c.rng.choice(BRIGHT), c.rng)
    c.line([(800, 90), (800, 150)], (120, 120, 120), 6)
    c.arc(780, 60, 820, 110, 180, 360, (120, 120, 120), 6)
    c.line([(600, 210), (800, 150), (1000, 210)], (120, 120, 120), 8)
    c.poly(
        [
            (560, 220),
            (700, 180),
            (900, 180),
            (1040, 220),
            (1180, 420),
            (1060, 470),
            (1010, 390),
            (1010, 800),
            (590, 800),
            (590, 390),
            (540, 470),
            (420, 420),
        ],
        colour,
    )
    c.poly([(700, 180), (800, 250), (900, 180)], shade(colour, -0.3))
    c.text(800, 520, str(c.rng.choice([7, 9, 10, 11])), 200, WHITE)


@scene("stadium")
def stadium(c: Canvas) -> None:
    _daylight(c, 640)
    c.rect(0, 640, WIDTH, HEIGHT, vary(GRASS, c.rng))
    c.ellipse(180, 380, 1420, 760, (210, 210, 214))
    c.ellipse(220, 400, 1380, 700, (150, 156, 166))
    c.ellipse(340, 450, 1260, 660, (80, 150, 80))
    c.arc(140, 300, 1460, 700, 180, 360, (240, 242, 246), 36)
    for x in (260, 1340):
        c.line([(x, 640), (x, 200)], (120, 120, 126), 10)
        c.rect(x - 50, 170, x + 50, 220, (236, 236, 220))
    for x in (80, 1520):
        c.tree(x, 780, 200, (80, 130, 80))


@scene("chess")
def chess(c: Canvas) -> None:
    c.gradient((60, 50, 46), (30, 26, 24))
    light, dark = (232, 214, 180), (150, 100, 64)
    for row in range(8):
        y0, y1 = 380 + row * row * 6 + row * 20, 380 + (row + 1) ** 2 * 6 + (row + 1) * 20
        for col in range(8):

            def edge(y, col=col):
                width = 600 + (y - 380) * 1.6
                return 800 - width / 2 + width * col / 8

            c.poly(
                [(edge(y0), y0), (edge(y0, col + 1), y0), (edge(y1, col + 1), y1), (edge(y1), y1)],
                light if (row + col) % 2 == 0 else dark,
            )
    for x, y, height, colour in (
        (560, 560, 150, WHITE),
        (900, 640, 240, (30, 30, 34)),
        (1120, 760, 170, WHITE),
        (720, 460, 120, (30, 30, 34)),
    ):
        c.ellipse(x - height * 0.3, y - height * 0.12, x + height * 0.3, y + height * 0.08, colour)
        c.poly(
            [
                (x - height * 0.18, y - height * 0.05),
                (x + height * 0.18, y - height * 0.05),
                (x + height * 0.08, y - height * 0.7),
                (x - height * 0.08, y - height * 0.7),
            ],
            colour,
        )
        c.circle(x, y - height * 0.8, height * 0.16, colour)


@scene("running_track")
def running_track(c: Canvas) -> None:
    _seats(c, 340)
    c.rect(0, 340, WIDTH, HEIGHT, (80, 150, 80))
    c.poly([(0, 420), (WIDTH, 420), (WIDTH, HEIGHT), (0, HEIGHT)], (196, 84, 60))
    for k in range(9):
        y = 420 + k * k * 6 + k * 4
        c.line([(0, y), (WIDTH, y)], WHITE, 2 + k * 0.6)
    for k in range(16):
        for row in range(2):
            x = 1000 + row * 28 - k * 0
            y = 420 + k * 30
            if (k + row) % 2 == 0:
                c.rect(x, y, x + 28, y + 30, WHITE)
    c.line([(1000, 420), (1000, HEIGHT)], WHITE, 4)


@scene("basketball", "trophy")
def basketball(c: Canvas) -> None:
    c.gradient((60, 70, 90), (110, 110, 120), 0, 560)
    c.rect(0, 560, WIDTH, HEIGHT, vary((206, 150, 96), c.rng, 10))
    for k in range(0, WIDTH, 70):
        c.line([(k, 560), (k - 160, HEIGHT)], (186, 132, 84), 3)
    c.arc(300, 620, 1300, 1100, 180, 360, WHITE, 6)
    if c.scene == "trophy":
        gold, dark = (232, 184, 60), (190, 140, 40)
        c.rect(680, 700, 920, 760, (60, 50, 46))
        c.rect(760, 560, 840, 700, dark)
        c.pie(620, 200, 980, 640, 0, 180, gold)
        c.rect(620, 300, 980, 420, gold)
        c.arc(540, 300, 700, 480, 90, 270, dark, 18)
        c.arc(900, 300, 1060, 480, 270, 90, dark, 18)
        for _ in range(60):
            c.rect(
                *(lambda x, y: (x, y, x + 14, y + 8))(
                    c.rng.uniform(0, WIDTH), c.rng.uniform(0, 540)
                ),
                vary(c.rng.choice(BRIGHT), c.rng, 20),
            )
    else:
        c.rect(560, 90, 1040, 400, WHITE)
        c.rect(700, 220, 900, 360, (236, 236, 236))
        c.rect(712, 232, 888, 348, WHITE)
        c.line([(800, 400), (800, 560)], (90, 90, 96), 16)
        c.ellipse(710, 380, 890, 420, None, outline=(230, 90, 30), width=8)
        for k in range(7):
            c.line([(716 + k * 28, 400), (740 + k * 18, 520)], (240, 240, 240), 3)
        x = c.rng.uniform(300, 1300)
        c.circle(x, 760, 70, (220, 110, 40))
        c.line([(x - 70, 760), (x + 70, 760)], (60, 40, 30), 4)
        c.arc(x - 40, 690, x + 100, 830, 100, 260, (60, 40, 30), 4)


@scene("barbell")
def barbell(c: Canvas) -> None:
    c.gradient((50, 54, 64), (90, 94, 104), 0, 620)
    c.rect(0, 620, WIDTH, HEIGHT, (120, 88, 56))
    c.poly([(200, 620), (1400, 620), (1600, HEIGHT), (0, HEIGHT)], (150, 110, 70))
    c.poly([(500, 620), (1100, 620), (1180, HEIGHT), (420, HEIGHT)], (176, 130, 84))
    c.rect(140, 610, 1460, 630, (200, 204, 210))
    plates = c.rng.sample([(200, 50, 40), (40, 90, 180), (230, 190, 40), (50, 140, 80)], 3)
    for side in (-1, 1):
        for k, colour in enumerate(plates):
            x = 800 + side * (430 + k * 50)
            height = 260 - k * 50
            c.rect(x - 22, 620 - height, x + 22, 620 + height, colour, 10)
        c.rect(800 + side * 400 - 10, 590, 800 + side * 400 + 10, 650, (160, 160, 166))


@scene("wrestling_mats")
def wrestling_mats(c: Canvas) -> None:
    c.gradient((214, 206, 190), (190, 180, 164), 0, 500)
    for k in range(10):
        x = 80 + k * 150
        c.rect(x, 120, x + 10, 500, (150, 110, 70))
        c.rect(x + 140, 120, x + 150, 500, (150, 110, 70))
        for rung in range(6):
            c.rect(x, 160 + rung * 60, x + 150, 170 + rung * 60, (170, 126, 80))
    c.rect(0, 500, WIDTH, HEIGHT, (170, 160, 150))
    blue = vary((40, 90, 170), c.rng, 10)
    c.poly([(300, 520), (1300, 520), (1560, HEIGHT), (40, HEIGHT)], blue)
    c.ellipse(380, 560, 1220, 880, (214, 70, 50))
    c.ellipse(480, 600, 1120, 840, (240, 200, 80))
    c.ellipse(540, 620, 1060, 820, blue)
    c.ellipse(760, 700, 840, 740, WHITE)


def scene_names() -> list[str]:
    return sorted(SCENES)
