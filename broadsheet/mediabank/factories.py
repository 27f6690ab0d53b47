"""Photos for tests and the demo, drawn with Pillow: no downloaded images.

`photo_jpeg` paints a simple landscape (sky, sun, hills, water, buildings)
whose colours and shapes come from a seed, so every demo photo differs and
the same seed always gives the same picture.
"""

import io
import random

import factory
from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter

from .models import Photo

PALETTES = [
    ((24, 52, 94), (250, 170, 90), (46, 71, 52)),
    ((120, 170, 220), (255, 240, 200), (92, 120, 60)),
    ((40, 30, 70), (240, 120, 80), (30, 40, 50)),
    ((180, 200, 210), (255, 255, 240), (150, 130, 100)),
    ((60, 110, 160), (255, 220, 120), (70, 90, 110)),
    ((200, 120, 90), (255, 200, 150), (90, 60, 50)),
]


def _mix(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def photo_jpeg(*, seed: int, width: int = 1600, height: int = 900) -> bytes:
    rng = random.Random(seed)
    sky, glow, land = PALETTES[seed % len(PALETTES)]
    img = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(img)
    horizon = int(height * rng.uniform(0.5, 0.7))
    for y in range(horizon):
        draw.line([(0, y), (width, y)], fill=_mix(sky, glow, (y / horizon) ** 1.6))
    sun_x, sun_r = rng.randint(width // 6, width * 5 // 6), rng.randint(height // 14, height // 7)
    sun_y = horizon - rng.randint(sun_r, height // 3)
    draw.ellipse([sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r], fill=glow)
    for layer in range(3):
        shade = _mix(land, sky, 0.45 - layer * 0.18)
        base = horizon + layer * height // 18
        points = [(0, height)]
        for x in range(0, width + 80, 80):
            points.append((x, base - int(rng.uniform(0, height / (6 + layer * 3)))))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    if rng.random() < 0.6:
        x = rng.randint(0, width // 3)
        while x < width:
            w, h = rng.randint(30, 90), rng.randint(height // 10, height // 3)
            draw.rectangle([x, horizon - h, x + w, height], fill=_mix(land, (20, 20, 20), 0.5))
            for wy in range(horizon - h + 10, horizon, 22):
                for wx in range(x + 8, x + w - 8, 16):
                    if rng.random() < 0.35:
                        draw.rectangle([wx, wy, wx + 6, wy + 10], fill=glow)
            x += w + rng.randint(4, 60)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=84, optimize=True)
    return out.getvalue()


AGENCIES = ["Broadsheet", "Broadsheet Pool", "Meridian Photo", "Northlight Images"]


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    class Params:
        seed = factory.Sequence(lambda n: n)
        size = (1600, 900)

    title = factory.Faker("sentence", nb_words=4)
    caption = factory.Faker("sentence", nb_words=14)
    alt_text = factory.Faker("sentence", nb_words=8)
    agency = factory.Iterator(AGENCIES)
    photographer = factory.Faker("name")
    place = factory.Faker("city")
    date_taken = factory.Faker("date_this_year")
    usage_terms = "Editorial use only"
    file = factory.LazyAttribute(
        lambda o: ImageFile(
            io.BytesIO(photo_jpeg(seed=o.seed, width=o.size[0], height=o.size[1])),
            name=f"photo-{o.seed}.jpg",
        )
    )
