"""JSON-LD for the front page, listings and story breadcrumbs
(news/structured_data.py builds the objects; story_tags has the article's)."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from broadsheet.core.cache import memoized
from broadsheet.core.models import SiteIdentity
from broadsheet.core.origin import absolute_url
from broadsheet.news import structured_data as sd
from broadsheet.news.templatetags.story_tags import ld_json

register = template.Library()


@register.simple_tag(takes_context=True)
def front_page_jsonld(context):
    """The organisation and the site; kept for the content version (an
    identity change bumps it)."""
    request = context["request"]

    def build() -> str:
        identity = SiteIdentity.for_request(request)
        # Both elements are escaped by ld_json.
        return mark_safe(ld_json(sd.organization(identity)) + ld_json(sd.website(identity)))  # noqa: S308

    site = getattr(request, "_wagtail_site", None)
    return memoized(("jsonld-front", getattr(site, "pk", None), get_language()), build)


@register.simple_tag(takes_context=True)
def story_breadcrumbs_jsonld(context, story):
    """Front page → section → story; the same for every reader until
    something is published, so made once per story and language."""
    request = context["request"]

    def build() -> str:
        trail = [(SiteIdentity.for_request(request).name, sd.front_page_url())]
        if story.section is not None:
            trail.append((story.section.title, absolute_url(story.section.get_url(request))))
        trail.append((story.title, absolute_url(story.get_url(request))))
        return ld_json(sd.breadcrumbs(trail))

    return memoized(("jsonld-breadcrumbs", story.pk, get_language()), build)


@register.simple_tag(takes_context=True)
def collection_jsonld(context, name, stories):
    """A listing page (section, topic, author) and the stories it shows."""
    request = context["request"]
    return ld_json(
        sd.collection_page(
            name=name,
            url=context.get("canonical_url") or absolute_url(request.path),
            story_urls=[absolute_url(story.get_url(request)) for story in stories],
        )
    )
