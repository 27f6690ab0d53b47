"""A story's card in a listing: `{% teaser story … %}` (front page, sections,
topics, authors, search) and `{% feed_item story … %}` (the newsfeed page and
box).

A front page prints about forty cards and a newsfeed page twenty; through
`{% include %}` each cost 0.1–0.3 ms of template rendering, the largest cost
of those pages. A card is now rendered from plain values only
(core/rendered.py): an unchanged card is rendered once per process; a changed
one (new title, new comment count, new photo markup, other language or time
zone) has a new key by construction.

The photo and the comment count are read on every call, outside the card's
entry: both have their own memo and rules (a licence expiry takes effect the
moment it passes) and both name their surrogate keys on the answer.
"""

from functools import cache

from django import template
from django.utils import translation

from broadsheet.core.page_urls import page_url
from broadsheet.core.rendered import template_by_value
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


def kind_label(story) -> str:
    """`story.get_kind_display()`, which hashes every choice's lazy label (a
    gettext each) on each call: two thirds of a card's cost on the front page."""
    return _kind_labels(type(story), translation.get_language()).get(story.kind, story.kind)


@cache
def _kind_labels(model, language: str) -> dict[str, str]:
    return {value: str(label) for value, label in model._meta.get_field("kind").flatchoices}


def _card_context(values: dict) -> dict:
    # live_badge.html, shared with the live story's page, reads `story.coverage`.
    return {**values, "badge": {"coverage": values["coverage"]}}


def _story_values(story, request, *, show_section: bool) -> dict:
    section = story.section if show_section else None
    kind = kind_label(story)
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
    return template_by_value("news/includes/teaser.html", values, context=_card_context)


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
    return template_by_value("news/includes/feed_item.html", values, context=_card_context)
