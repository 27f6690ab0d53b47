"""A story's card in a listing: `{% teaser story … %}` (front page, sections,
topics, authors, search) and `{% feed_item story … %}` (the newsfeed page and
box).

A front page prints about forty cards and a newsfeed page twenty; through
`{% include %}` each cost 0.1–0.3 ms of template rendering, the largest cost
of those pages. A card is now rendered from plain values only — never from
the story object, never with the request's context — and kept in the
per-process memo under exactly those values. An unchanged card is rendered
once per process; a changed one (new title, new comment count, new photo
markup, other language or time zone) has a new key by construction. Nothing
can go stale, so nothing needs invalidating; entries of old values age out of
the memo (MEMO_TTL, LRU).

The photo and the comment count are read on every call, outside the card's
entry: both have their own memo and rules (a licence expiry takes effect the
moment it passes) and both name their surrogate keys on the answer.
"""

from django import template
from django.template.loader import get_template
from django.utils import timezone, translation

from broadsheet.core.cache import memoized
from broadsheet.core.page_urls import page_url
from broadsheet.discussions.templatetags.discussions import comment_count
from broadsheet.mediabank.templatetags.photos import photo
from broadsheet.news.cursors import Cursor

register = template.Library()

# The lead photo's rendition set, `sizes` and loading per teaser variant.
_PHOTO = {
    "lead": ("lead", "(min-width: 82em) 640px, (min-width: 40em) 58vw, 100vw", True),
    "compact": ("teaser", "(min-width: 40em) 224px, 104px", False),
    "row": ("teaser", "(min-width: 40em) 224px, 104px", False),
    "": (
        "teaser",
        "(min-width: 82em) 300px, (min-width: 64em) 22vw, (min-width: 40em) 45vw, 100vw",
        False,
    ),
}


def card_render(template_name: str, values: dict) -> str:
    """`template_name` rendered with `values` alone, once per process per
    distinct values (and language and time zone, which its filters read)."""
    key = (
        template_name,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        *values.values(),
    )
    return memoized(key, lambda: _render(template_name, values), version=0)


def _render(template_name: str, values: dict) -> str:
    # live_badge.html, shared with the live story's page, reads `story.coverage`.
    return get_template(template_name).render({**values, "badge": {"coverage": values["coverage"]}})


def _story_values(story, request, *, show_section: bool) -> dict:
    section = story.section if show_section else None
    kind = str(story.get_kind_display())
    return {
        "story_id": story.pk,
        "url": page_url(story, request),
        "title": story.title,
        "kind": story.kind,
        "kind_label": kind,
        "section_title": section.title if section and section.title != kind else "",
        "coverage": story.coverage,
        "published_at": story.published_at,
    }


@register.simple_tag(takes_context=True)
def teaser(
    context,
    story,
    variant: str = "",
    heading: str = "h3",
    show_section: bool = False,
    show_standfirst: bool = False,
):
    spec_set, sizes, eager = _PHOTO.get(variant, _PHOTO[""])
    values = _story_values(story, context.get("request"), show_section=show_section)
    values.update(
        variant=variant,
        heading=heading or "h3",
        standfirst=story.standfirst if (variant == "lead" or show_standfirst) else "",
        photo=photo(story.lead_photo, spec_set, sizes=sizes, eager=eager)
        if story.lead_photo_id
        else "",
        comments=comment_count(story),
    )
    return card_render("news/includes/teaser.html", values)


@register.simple_tag(takes_context=True)
def feed_item(context, story, new_day: bool = False, compact: bool = False):
    """One newsfeed row: `compact` in the box beside pages, with a day heading
    before it on the newsfeed page when `new_day`."""
    values = _story_values(story, context.get("request"), show_section=True)
    # The newsfeed prints the section even when it repeats the kind.
    values.update(
        section_title=story.section.title if story.section else "",
        cursor=Cursor.for_story(story).encode(),
        new_day=bool(new_day) and not compact,
        compact=compact,
    )
    return card_render("news/includes/feed_item.html", values)
