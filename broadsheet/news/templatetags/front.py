"""`{% front_content %}`: the front page below its header, kept whole.

Everything there (live coverage, the lead, the most recent stories, the
newsfeed box, the section blocks) is a listing of the content version, and
its cards print comment counts of the discussions version; each card and
picture is already kept (cards.py), but forty of them still cost about a
millisecond of template work per request. Kept per edition, language and
time zone under both versions (core/fragments.py: one entry, replaced when
either moves), and until a photo's licence runs out or a key it names is
purged, like a story's parts. Never for a preview.
"""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone, translation

from broadsheet.core.cache import CONTENT_ROW, DISCUSSIONS_ROW, versions_read
from broadsheet.core.fragments import fragment_memoized

register = template.Library()

FRONT_VALUES = ("page", "lead", "most_recent", "section_blocks", "live_now")


@register.simple_tag(takes_context=True)
def front_content(context) -> str:
    request = context.get("request")
    values = {name: context.get(name) for name in FRONT_VALUES}

    def render() -> str:
        return render_to_string("news/includes/front_content.html", values, request=request)

    page = values["page"]
    if request is None or getattr(request, "is_preview", True) or page is None:
        return render()
    site = getattr(request, "_wagtail_site", None)
    versions = versions_read()
    return fragment_memoized(
        (
            "front_content",
            page.pk,
            site.pk if site else None,
            translation.get_language(),
            timezone.get_current_timezone_name(),
        ),
        render,
        version=(versions.get(CONTENT_ROW, 0), versions.get(DISCUSSIONS_ROW, 0)),
    )
