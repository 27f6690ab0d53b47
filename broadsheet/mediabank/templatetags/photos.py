import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from broadsheet.mediabank.renditions import SOCIAL_SPEC, SPEC_SETS, WEB_SPEC, filter_for

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
    """A neutral, accessible stand-in with the picture's proportions."""
    width, height = _spec_size(image, spec)
    return format_html(
        '<span class="photo-unavailable {}" role="img" aria-label="{}" '
        'style="aspect-ratio: {} / {}"></span>',
        css_class,
        _("Photo unavailable"),
        width,
        height,
    )


@register.simple_tag
def photo(image, spec_set, sizes="100vw", eager=False, css_class=""):
    """A responsive <img> from a named rendition set (see renditions.py).

    width/height are set so nothing shifts while it loads; the lead photo is
    loaded eagerly with high priority, every other photo lazily.
    """
    if image is None:
        return ""
    specs = SPEC_SETS[spec_set]
    if not image.is_usable:
        return photo_unavailable(image, specs[0][1], css_class)
    renditions = image.get_renditions(*(filter_for(spec) for _, spec in specs))
    ordered = [renditions[spec] for _, spec in specs]
    fallback = ordered[0]
    srcset = format_html_join(
        ", ", "{} {}w", ((r.url, r.width) for r in sorted(ordered, key=lambda r: r.width))
    )
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}" '
        'decoding="async" loading="{}" fetchpriority="{}">',
        fallback.url,
        srcset,
        sizes,
        fallback.width,
        fallback.height,
        image.default_alt_text,
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
def social_image_url(image, request):
    if image is None or not image.is_usable:
        return ""
    return request.build_absolute_uri(image.get_rendition(filter_for(SOCIAL_SPEC)).url)


@register.simple_tag
def web_copy(image):
    """The media bank's downloadable web-size copy of a photo (a rendition)."""
    return image.get_rendition(filter_for(WEB_SPEC))
