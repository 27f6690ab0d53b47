"""`{% story_part story "template" %}`: a part of a story's page that is the
same for every reader — head tags, headline, byline, lead photo, body, topics — kept
per process until what it shows changes (core/fragments.py).

Its tags are the keys the edge purges the story's page by (the story, its
section, authors, topics; photos and cards name theirs while rendering),
plus the site and the edition. Not the newsfeed box's key: the box beside
the story is rendered outside these parts, and every publish changes it.

Never in a preview: a preview renders a draft under the live page's id.
"""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone, translation

from broadsheet.core.cache import memoized
from broadsheet.core.fragments import fragment_memoized
from broadsheet.core.surrogate import SITE_KEY, edition_key, photo_key
from broadsheet.news.edge_keys import newsfeed_box_key, page_response_keys

register = template.Library()


@register.simple_tag(takes_context=True)
def story_part(context, story, template_name: str, **values):
    """`values` (hashable: they are part of the key) go to the template too."""
    request = context.get("request")

    def render() -> str:
        return render_to_string(template_name, {"story": story, **values}, request=request)

    if request is None or getattr(request, "is_preview", True) or not story.pk or not story.live:
        return render()
    site = getattr(request, "_wagtail_site", None)
    key = (
        "story_part",
        template_name,
        story.pk,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        site.pk if site else None,
        *sorted(values.items()),
    )
    box = newsfeed_box_key(story.locale_id)
    tags = [k for k in page_response_keys(story) if k != box]
    tags += [SITE_KEY, edition_key(story.locale_id)]
    if story.lead_photo_id:
        # The head's structured data prints the lead photo without the
        # {% photo %} tag that would name it.
        tags.append(photo_key(story.lead_photo_id))
    return fragment_memoized(key, render, tags=tags)


@register.simple_tag(takes_context=True)
def next_story_link(context, next_story) -> str:
    """The link broadsheet.js turns into the next story loading in place
    (news/includes/next_story.html), kept for the content version: any
    publish may change which story comes next, and a new title is a publish."""
    if next_story is None:
        return ""
    request = context.get("request")
    site = getattr(request, "_wagtail_site", None)
    return memoized(
        ("next_story_link", next_story.pk, translation.get_language(), site.pk if site else None),
        lambda: render_to_string(
            "news/includes/next_story.html", {"next_story": next_story}, request=request
        ),
    )
