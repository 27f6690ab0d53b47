"""What a newsfeed box or list needs to fill itself while open
(static/js/newsfeed_live.js): each item's cursor and the bar's words."""

import json
import time

from django import template
from django.utils.translation import gettext, ngettext

from broadsheet.news.cursors import Cursor

register = template.Library()

# A number in each plural category of the languages the site speaks (CLDR's,
# as the browser's Intl.PluralRules names them): the bar's text for a count is
# the catalogue's plural form for the sample number of the count's category.
_PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 5, "other": 100}


@register.filter
def feed_cursor(story) -> str:
    return Cursor.for_story(story).encode()


@register.simple_tag
def newsfeed_live_labels() -> str:
    """JSON for a data attribute (escaped by the template like any value)."""
    labels = {
        category: ngettext("%(count)s new story", "%(count)s new stories", sample)
        % {"count": "{count}"}
        for category, sample in _PLURAL_SAMPLES.items()
    }
    labels["refresh"] = gettext("New stories — refresh")
    labels["failed"] = gettext("New stories could not be loaded. Reload the page to see them.")
    return json.dumps(labels, ensure_ascii=False)


@register.simple_tag
def render_time_ms() -> int:
    """When this HTML was made, for `data-live-since`: the realtime client
    replays the events after it, so a page served from a cache catches up."""
    return int(time.time() * 1000)
