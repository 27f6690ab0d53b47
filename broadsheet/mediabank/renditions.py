"""The named rendition sets every picture on the site is drawn from.

Keeping them in one place lets listings prefetch exactly what templates will
ask for, and lets the demo loader (and later the upload pipeline) generate
them ahead of the first reader.
"""

from functools import cache

from wagtail.images.models import Filter

from .models import Photo

SPEC_SETS: dict[str, list[tuple[int, str]]] = {
    # (width, filter spec); the first entry is the fallback `src`.
    "teaser": [(480, "fill-480x270-c80|format-webp"), (800, "fill-800x450-c80|format-webp")],
    "lead": [
        (800, "fill-800x450-c80|format-webp"),
        (480, "fill-480x270-c80|format-webp"),
        (1280, "fill-1280x720-c80|format-webp"),
    ],
    "inline": [(800, "max-800x1000|format-webp"), (1280, "max-1280x1600|format-webp")],
    "portrait": [(160, "fill-160x160-c100|format-webp")],
    # The media bank's grid (mediabank/views.py).
    "grid": [(400, "fill-400x300-c80|format-webp"), (800, "fill-800x600-c80|format-webp")],
}
SOCIAL_SPEC = "fill-1200x630-c80|format-jpeg"
# The web-size copy the media bank offers for download; made when first asked for.
WEB_SPEC = "max-1600x1600|format-jpeg"

ALL_SPECS = sorted({spec for specs in SPEC_SETS.values() for _, spec in specs} | {SOCIAL_SPEC})


@cache
def filter_for(spec: str) -> Filter:
    """One shared Filter per spec: a Filter parses its spec (with `inspect`) the
    first time it is used, which cost ~0.1 ms per picture when built anew."""
    return Filter(spec=spec)


def specs_for(*set_names: str) -> list[str]:
    return list(dict.fromkeys(spec for name in set_names for _, spec in SPEC_SETS[name]))


def teaser_photos():
    return Photo.objects.prefetch_renditions(*specs_for("teaser", "lead"))


def story_photos():
    """A story's lead photo with the renditions its page shows (lead and social card)."""
    return Photo.objects.prefetch_renditions(*specs_for("lead"), SOCIAL_SPEC)


def grid_photos():
    """Photos with the renditions the media bank's grid shows."""
    return Photo.objects.prefetch_renditions(*specs_for("grid"))


def bank_photo_renditions():
    """A media bank photo page's renditions: the large picture, social card, web copy."""
    return Photo.objects.prefetch_renditions(*specs_for("inline"), SOCIAL_SPEC, WEB_SPEC)


def photo_renditions_generate(*, photo: Photo) -> int:
    """Create every standard rendition of a photo; returns how many exist."""
    return len(photo.get_renditions(*(filter_for(spec) for spec in ALL_SPECS)))
