"""The chrome every page repeats: masthead with section menu, footer, newsfeed box.

Each is rendered once per process, content version, site, language and
variant (the current section), then reused: they change only when something
is published, which bumps the content version (core/cache.py).
"""

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Site

from broadsheet.core.cache import memoized
from broadsheet.news.selectors import newsfeed_latest, sections_in_menu

register = template.Library()


def _render_shared(context, name: str, template_name: str, variant, extra: dict) -> str:
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    key = (name, getattr(site, "pk", None), translation.get_language(), variant)

    def render():
        return render_to_string(
            template_name,
            {"request": request, "settings": context.get("settings"), **extra},
        )

    return memoized(key, render)


@register.simple_tag(takes_context=True)
def site_header(context):
    page = context.get("page")
    current_section_id = None
    if page is not None:
        current_section_id = getattr(page, "section_id", None) or page.pk
    is_home = page is not None and page.depth == 2
    return _render_shared(
        context,
        "site_header",
        "includes/site_header.html",
        (current_section_id, is_home),
        {
            "sections": sections_in_menu(),
            "current_section_id": current_section_id,
            "is_home": is_home,
        },
    )


@register.simple_tag(takes_context=True)
def site_footer(context):
    return _render_shared(context, "site_footer", "includes/site_footer.html", None, {})


@register.simple_tag(takes_context=True)
def newsfeed_box(context, limit=10):
    return _render_shared(
        context,
        "newsfeed_box",
        "news/includes/newsfeed_box.html",
        limit,
        {"newsfeed": newsfeed_latest(limit=limit)},
    )
