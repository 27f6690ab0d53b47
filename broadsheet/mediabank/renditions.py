"""The named rendition sets every picture on the site is drawn from.

Keeping them in one place lets listings prefetch exactly what templates will
ask for, and lets the background task generate them ahead of the first
reader (tasks.py): a page never waits on image processing.

Each set is a list of geometries; every geometry is made in every format of
FORMATS, which `{% photo %}` offers as `<picture>` sources (AVIF, then WebP)
with JPEG as the `<img>` every browser can show.
"""

from functools import cache

from wagtail.images.models import Filter

from .models import Photo

FORMATS = ("avif", "webp", "jpeg")
FALLBACK_FORMAT = "jpeg"
MIME_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}

GEOMETRIES: dict[str, list[tuple[int, str]]] = {
    # (width, geometry); the first entry gives the fallback `src` and the
    # width/height attributes.
    "teaser": [(480, "fill-480x270-c80"), (800, "fill-800x450-c80")],
    "lead": [(800, "fill-800x450-c80"), (480, "fill-480x270-c80"), (1280, "fill-1280x720-c80")],
    "inline": [(800, "max-800x1000"), (1280, "max-1280x1600")],
    "portrait": [(160, "fill-160x160-c100")],
    # The media bank's grid (mediabank/views.py).
    "grid": [(400, "fill-400x300-c80"), (800, "fill-800x600-c80")],
}
SOCIAL_SPEC = "fill-1200x630-c80|format-jpeg"
# The web-size copy the media bank offers for download.
WEB_SPEC = "max-1600x1600|format-jpeg"


def spec_for(geometry: str, fmt: str) -> str:
    return f"{geometry}|format-{fmt}"


def specs_for(*set_names: str) -> list[str]:
    """Every spec (all geometries in all formats) of the named sets."""
    return list(
        dict.fromkeys(
            spec_for(geometry, fmt)
            for name in set_names
            for _, geometry in GEOMETRIES[name]
            for fmt in FORMATS
        )
    )


ALL_SPECS = [*specs_for(*GEOMETRIES), SOCIAL_SPEC, WEB_SPEC]


@cache
def filter_for(spec: str) -> Filter:
    """One shared Filter per spec: a Filter parses its spec (with `inspect`) the
    first time it is used, which cost ~0.1 ms per picture when built anew."""
    return Filter(spec=spec)


def _with_captions(photos):
    # Captions and alt texts per edition (captions.py) come with the photo.
    return photos.prefetch_related("translations")


def teaser_photos():
    return _with_captions(Photo.objects.prefetch_renditions(*specs_for("teaser", "lead")))


def story_photos():
    """A story's lead photo with the renditions its page shows (lead and social card)."""
    return _with_captions(Photo.objects.prefetch_renditions(*specs_for("lead"), SOCIAL_SPEC))


def grid_photos():
    """Photos with the renditions the media bank's grid shows."""
    return _with_captions(Photo.objects.prefetch_renditions(*specs_for("grid")))


def bank_photo_renditions():
    """A media bank photo page's renditions: the large picture, social card, web copy."""
    return _with_captions(
        Photo.objects.prefetch_renditions(*specs_for("inline"), SOCIAL_SPEC, WEB_SPEC)
    )


def photo_renditions_generate(*, photo: Photo) -> int:
    """Create every standard rendition of a photo that is missing; returns how many exist."""
    return len(photo.get_renditions(*(filter_for(spec) for spec in ALL_SPECS)))
