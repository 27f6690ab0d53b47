"""What a newsfeed box or list needs to fill itself while open
(static/js/newsfeed_live.js): the render time (each item's cursor is printed
by news/templatetags/cards.py).
The bar's words are in core/js_strings.py."""

import time

from django import template

register = template.Library()


@register.simple_tag
def render_time_ms() -> int:
    """When this HTML was made, for `data-live-since`: the realtime client
    replays the events after it, so a page served from a cache catches up."""
    return int(time.time() * 1000)
