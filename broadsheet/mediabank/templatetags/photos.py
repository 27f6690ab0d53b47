from django import template
from django.utils.html import format_html, format_html_join

from broadsheet.mediabank.renditions import SOCIAL_SPEC, SPEC_SETS, WEB_SPEC, filter_for

register = template.Library()


@register.simple_tag
def photo(image, spec_set, sizes="100vw", eager=False, css_class=""):
    """A responsive <img> from a named rendition set (see renditions.py).

    width/height are set so nothing shifts while it loads; the lead photo is
    loaded eagerly with high priority, every other photo lazily.
    """
    if image is None:
        return ""
    specs = SPEC_SETS[spec_set]
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
    return social or photo or None


@register.simple_tag
def social_image_url(image, request):
    if image is None:
        return ""
    return request.build_absolute_uri(image.get_rendition(filter_for(SOCIAL_SPEC)).url)


@register.simple_tag
def web_copy(image):
    """The media bank's downloadable web-size copy of a photo (a rendition)."""
    return image.get_rendition(filter_for(WEB_SPEC))
