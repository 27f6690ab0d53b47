from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from broadsheet.alerts.selectors import breaking_banner as breaking_banner_select
from broadsheet.alerts.vapid import vapid_keys
from broadsheet.core.rendered import template_by_value

register = template.Library()


@register.simple_tag
def vapid_public_key() -> str:
    """The applicationServerKey for push.js; empty when push is off."""
    keys = vapid_keys()
    return keys.public_key if keys else ""


# The one value of the banner that differs per request: the moment the page
# was rendered, from which realtime.js asks for the events it missed.
_NOW = "\x00now_ms\x00"


@register.simple_tag
def breaking_banner():
    """The edition's breaking banner, kept by value (core/rendered.py) with
    the render time put in afterwards: rendered per request, its template
    was the costliest part of a story page left (0.17 ms of 2.5)."""
    now = timezone.now()
    banner = breaking_banner_select(now=now)
    markup = template_by_value(
        "alerts/includes/breaking_banner.html",
        {
            "banner_id": banner.id if banner else None,
            "title": banner.title if banner else "",
            # The story's path, with its edition's prefix (/ru/…).
            "url": banner.url if banner else "",
            "until_ms": int(banner.until.timestamp() * 1000) if banner else "",
            "edition": translation.get_language() or settings.LANGUAGE_CODE,
            "minutes": settings.ALERTS_BANNER_MINUTES,
            "now_ms": _NOW,
        },
    )
    return mark_safe(markup.replace(_NOW, str(int(now.timestamp() * 1000))))  # noqa: S308
