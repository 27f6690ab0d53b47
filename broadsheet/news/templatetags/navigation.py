"""The chrome every page repeats: masthead with section menu, footer, newsfeed box.

Each is rendered once per process, content version, site, language (and
time zone where it prints times) and variant (the current section), then
reused: they change only when something is published, which bumps the
content version (core/cache.py). The language switch differs per page, so
the memoised masthead and footer carry a marker that each request replaces
with its own switch (editions/templatetags/editions.py).
"""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from wagtail.models import Site

from broadsheet.core.cache import memoized
from broadsheet.editions.alternates import home_url
from broadsheet.editions.selectors import edition_active
from broadsheet.editions.templatetags.editions import SWITCH_MARKER, language_switch_html
from broadsheet.news.selectors import newsfeed_latest, sections_in_menu

register = template.Library()


def _render_shared(
    context, name: str, template_name: str, variant, extra: dict, *, times: bool = False
) -> str:
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    language = translation.get_language()
    key = (name, getattr(site, "pk", None), language, variant)
    if times:
        key += (timezone.get_current_timezone_name(),)

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
    html = _render_shared(
        context,
        "site_header",
        "includes/site_header.html",
        (current_section_id, is_home),
        {
            "sections": sections_in_menu(),
            "current_section_id": current_section_id,
            "is_home": is_home,
            "home_url": home_url(language=translation.get_language()),
            "edition": edition_active(),
        },
    )
    return _with_switch(context, html, placement="header")


def _with_switch(context, html: str, *, placement: str) -> str:
    return mark_safe(  # noqa: S308 - both parts are rendered and escaped
        html.replace(SWITCH_MARKER, language_switch_html(context, placement=placement), 1)
    )


@register.simple_tag(takes_context=True)
def site_footer(context):
    html = _render_shared(
        context, "site_footer", "includes/site_footer.html", None, {"edition": edition_active()}
    )
    return _with_switch(context, html, placement="footer")


@register.simple_tag(takes_context=True)
def newsfeed_box(context, limit=10):
    return _render_shared(
        context,
        "newsfeed_box",
        "news/includes/newsfeed_box.html",
        limit,
        {"newsfeed": newsfeed_latest(limit=limit)},
        times=True,
    )
