from django import template
from django.conf import settings
from django.utils import timezone, translation

from broadsheet.alerts.selectors import breaking_banner as breaking_banner_select
from broadsheet.alerts.vapid import vapid_keys

register = template.Library()


@register.simple_tag
def vapid_public_key() -> str:
    """The applicationServerKey for push.js; empty when push is off."""
    keys = vapid_keys()
    return keys.public_key if keys else ""


@register.inclusion_tag("alerts/includes/breaking_banner.html")
def breaking_banner():
    now = timezone.now()
    banner = breaking_banner_select(now=now)
    return {
        "banner": banner,
        # The story's path, with its edition's prefix (/ru/…).
        "url": banner.url if banner is not None else "",
        "edition": translation.get_language() or settings.LANGUAGE_CODE,
        "until_ms": int(banner.until.timestamp() * 1000) if banner else "",
        "now_ms": int(now.timestamp() * 1000),
        "minutes": settings.ALERTS_BANNER_MINUTES,
    }
