import re
from dataclasses import dataclass

from django import template
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.images.views.serve import generate_image_url

from broadsheet.core.cache import memoized
from broadsheet.core.origin import absolute_url
from broadsheet.core.surrogate import photo_key, surrogate_keys_add
from broadsheet.mediabank.captions import photo_alt_text, photo_caption
from broadsheet.mediabank.renditions import (
    FALLBACK_FORMAT,
    FORMATS,
    GEOMETRIES,
    MIME_TYPES,
    SOCIAL_SPEC,
    WEB_SPEC,
    filter_for,
    spec_for,
)
from broadsheet.mediabank.tasks import photo_renditions_request

register = template.Library()

_SIZE = re.compile(r"^(fill|max)-(\d+)x(\d+)")


def _spec_size(image, spec: str) -> tuple[int, int]:
    """The size a rendition spec would give, without making the rendition."""
    match = _SIZE.match(spec)
    if match is None:
        return image.width or 1, image.height or 1
    op, width, height = match[1], int(match[2]), int(match[3])
    if op == "fill" or not (image.width and image.height):
        return width, height
    scale = min(width / image.width, height / image.height, 1)
    return max(1, round(image.width * scale)), max(1, round(image.height * scale))


def photo_unavailable(image, spec: str, css_class: str = ""):
    """A neutral, accessible stand-in with the picture's proportions.

    An empty SVG, because its viewBox gives the proportions without a
    style attribute (the Content-Security-Policy allows no inline style)."""
    width, height = _spec_size(image, spec)
    return format_html(
        '<svg class="photo-unavailable {}" role="img" aria-label="{}" viewBox="0 0 {} {}"></svg>',
        css_class,
        _("Photo unavailable"),
        width,
        height,
    )


def existing_renditions(image, filters) -> dict:
    """Wagtail's `find_existing_renditions`, which never generates, plus the
    cache write `get_renditions` would do, so the next page finds them there."""
    found = image.find_existing_renditions(*filters)
    if image._get_prefetched_renditions() is None:
        Rendition = image.get_rendition_model()
        additions = {
            Rendition.construct_cache_key(image, f.get_cache_key(image), f.spec): r
            for f, r in found.items()
            if not getattr(r, "_from_cache", False)
        }
        if additions:
            Rendition.cache_backend.set_many(additions)
    return found


@dataclass(frozen=True)
class PictureFile:
    url: str
    width: int
    height: int


def picture_file(image, spec: str) -> PictureFile:
    """A rendition's address if it exists, else the signed address of Wagtail's
    image view, which makes it when the browser asks: the page never waits on
    image processing, and the background task is reminded."""
    found = existing_renditions(image, [filter_for(spec)])
    if found:
        rendition = next(iter(found.values()))
        return PictureFile(rendition.url, rendition.width, rendition.height)
    photo_renditions_request(photo_id=image.pk, wait=False)
    width, height = _spec_size(image, spec)
    return PictureFile(generate_image_url(image, spec), width, height)


def _srcset(renditions) -> str:
    return format_html_join(
        ", ", "{} {}w", ((r.url, r.width) for r in sorted(renditions, key=lambda r: r.width))
    )


@register.simple_tag
def photo(image, spec_set, sizes="100vw", eager=False, css_class=""):
    """A responsive <picture> from a named rendition set (see renditions.py):
    AVIF and WebP sources, a JPEG <img> every browser shows.

    width/height are set so nothing shifts while it loads; the lead photo is
    loaded eagerly with high priority, every other photo lazily. Formats whose
    renditions are not made yet are left out; if the JPEGs are missing the
    <img> asks Wagtail's image view for the first size.

    A complete <picture> is kept in the content-version memo: building one
    (six to nine rendition URLs through the storage backend) cost ~0.3 ms, and
    a front page shows forty. Rights are checked before the memo, on every
    render, so an expiry still takes effect the moment it passes.
    """
    if image is None:
        return ""
    surrogate_keys_add(photo_key(image.pk))
    if not image.is_usable:
        first = spec_for(GEOMETRIES[spec_set][0][1], FALLBACK_FORMAT)
        return photo_unavailable(image, first, css_class)
    # The alt text is the edition's (captions.py): one memo entry per language.
    language = translation.get_language()
    key = ("picture", image.pk, spec_set, sizes, bool(eager), css_class, language)
    return memoized(
        key, lambda: _picture(image, spec_set, sizes, eager, css_class), keep_none=False
    ) or _picture(image, spec_set, sizes, eager, css_class, incomplete=True)


def _picture(image, spec_set, sizes, eager, css_class, incomplete=False):
    """The <picture> markup; None (not memoised) while renditions are missing,
    unless `incomplete` asks for the best markup possible meanwhile."""
    geometries = [geometry for _, geometry in GEOMETRIES[spec_set]]
    wanted = {(g, fmt): filter_for(spec_for(g, fmt)) for fmt in FORMATS for g in geometries}
    found = existing_renditions(image, wanted.values())
    complete = {
        fmt: [found[wanted[(g, fmt)]] for g in geometries]
        for fmt in FORMATS
        if all(wanted[(g, fmt)] in found for g in geometries)
    }
    if len(complete) < len(FORMATS):
        if not incomplete:
            return None
        photo_renditions_request(photo_id=image.pk, wait=False)
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        (
            (MIME_TYPES[fmt], _srcset(complete[fmt]), sizes)
            for fmt in FORMATS
            if fmt != FALLBACK_FORMAT and fmt in complete
        ),
    )
    if FALLBACK_FORMAT in complete:
        fallback = complete[FALLBACK_FORMAT]
        img_src = format_html(
            'src="{}" srcset="{}" sizes="{}"', fallback[0].url, _srcset(fallback), sizes
        )
        width, height = fallback[0].width, fallback[0].height
    else:
        first = picture_file(image, spec_for(geometries[0], FALLBACK_FORMAT))
        img_src = format_html('src="{}"', first.url)
        width, height = first.width, first.height
    return format_html(
        '<picture>{}<img {} width="{}" height="{}" alt="{}" class="{}" '
        'decoding="async" loading="{}" fetchpriority="{}"></picture>',
        sources,
        img_src,
        width,
        height,
        photo_alt_text(photo=image),
        css_class,
        "eager" if eager else "lazy",
        "high" if eager else "auto",
    )


@register.simple_tag
def social_image_for(page, photo=None):
    """The social card's picture: the page's own, else a photo the view names
    (`social_photo`, e.g. a media bank photo page)."""
    social = page.get_social_image() if hasattr(page, "get_social_image") else None
    social = social or photo or None
    return social if getattr(social, "is_usable", False) else None


@register.simple_tag
def social_image_url(image, request=None):
    """The social card's absolute address, on SITE_URL (or the CDN's own host),
    whatever host the request came in on."""
    if image is None or not image.is_usable:
        return ""
    return absolute_url(picture_file(image, SOCIAL_SPEC).url)


@register.simple_tag
def web_copy(image) -> PictureFile:
    """The media bank's downloadable web-size copy of a photo."""
    return picture_file(image, WEB_SPEC)


@register.filter
def caption_in_edition(photo) -> str:
    """`{{ photo|caption_in_edition }}`: the photo's caption in the active
    edition's language, else the original's."""
    return photo_caption(photo=photo)


@register.filter
def alt_in_edition(photo) -> str:
    """`{{ photo|alt_in_edition }}`: the alt text in the active edition's language."""
    return photo_alt_text(photo=photo)
