"""Editions in templates: hreflang and og:locale in the head, the language
switch (header and footer), the offer of a reader's chosen edition.

Everything here is the same for every reader of an address: the switch is
plain links, and the remembered choice lives in the reader's browser
(static/js/broadsheet.js, "editions"), never in a cookie the page reads.
"""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from broadsheet.core.cache import memoized

from ..alternates import (
    home_url,
    is_wagtail_page,
    language_active,
    og_locale,
    page_alternates,
    switch_links,
    x_default,
)
from ..selectors import edition_active, languages_published

register = template.Library()

# Where the memoised masthead and footer take the per-page switch
# (news/templatetags/navigation.py renders them once per language).
SWITCH_MARKER = "<!--edition-switch-->"


def _direction(language: str) -> str:
    return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"


@register.simple_tag(takes_context=True)
def edition_head(context):
    """og:locale (+ alternates) and hreflang links for this address; a
    published page's are kept for the content version (a translation
    published or withdrawn bumps it). Not for an address with a query: any
    reader can make up new ones, and each would push a kept part out."""
    request = context.get("request")
    page = context.get("page")
    if (
        is_wagtail_page(request, page)
        and not request.GET
        and not getattr(request, "is_preview", False)
    ):
        site = getattr(request, "_wagtail_site", None)
        key = ("edition_head", page.pk, request.path, language_active(), getattr(site, "pk", None))
        return memoized(key, lambda: _edition_head_html(request, page))
    return _edition_head_html(request, page)


def _edition_head_html(request, page) -> str:
    alternates = page_alternates(request=request, page=page)
    current = language_active()
    tags = [format_html('<meta property="og:locale" content="{}">', og_locale(current))]
    tags += [
        format_html('<meta property="og:locale:alternate" content="{}">', og_locale(a.language))
        for a in alternates
        if a.language != current
    ]
    tags += [
        format_html('<link rel="alternate" hreflang="{}" href="{}">', a.language, a.url)
        for a in alternates
    ]
    default = x_default(alternates)
    if default is not None:
        tags.append(
            format_html('<link rel="alternate" hreflang="x-default" href="{}">', default.url)
        )
    return format_html_join("\n", "{}", ((tag,) for tag in tags))


def language_switch_html(context, *, placement: str) -> str:
    """The switch of a published page is kept for the content version (a
    translation published or withdrawn bumps it): the masthead and the footer
    each print one on every page."""
    request = context.get("request")
    page = context.get("page")
    if is_wagtail_page(request, page) and not getattr(request, "is_preview", False):
        site = getattr(request, "_wagtail_site", None)
        key = ("language_switch", placement, page.pk, language_active(), getattr(site, "pk", None))
        return memoized(key, lambda: _switch_html(request, page, placement=placement))
    return _switch_html(request, page, placement=placement)


def _switch_html(request, page, *, placement: str) -> str:
    links = switch_links(request=request, page=page)
    if len(links) < 2:
        return ""
    items = format_html_join(
        "",
        "<li>{}</li>",
        (
            (
                format_html(
                    '<a href="{}" lang="{}" hreflang="{}" dir="{}"'
                    ' data-edition-switch="{}"{}>{}</a>',
                    link.url,
                    link.language,
                    link.language,
                    _direction(link.language),
                    link.language,
                    mark_safe(' aria-current="true"') if link.current else "",
                    link.name,
                ),
            )
            for link in links
        ),
    )
    label = gettext("Editions")
    if placement == "header":
        current = next((link.name for link in links if link.current), "")
        return format_html(
            '<details class="edition-switch" data-edition-menu><summary aria-label="{}">'
            '<span class="edition-switch__current">{}</span></summary>'
            '<ul class="edition-switch__list">{}</ul></details>',
            gettext("Edition: %(language)s") % {"language": current},
            current,
            items,
        )
    return format_html(
        '<nav class="edition-switch edition-switch--footer" aria-label="{}">'
        '<h2 class="edition-switch__title">{}</h2><ul class="edition-switch__list">{}</ul></nav>',
        label,
        label,
        items,
    )


@register.simple_tag(takes_context=True)
def language_switch(context, placement="footer"):
    return language_switch_html(context, placement=placement)


@register.simple_tag(takes_context=True)
def edition_offer(context):
    """On the default edition's front page only: one hidden bar per other
    edition, each written in its own language. broadsheet.js shows the one
    the reader chose earlier with the switch; nothing is redirected, and the
    page is the same for everyone."""
    page = context.get("page")
    if page is None or getattr(page, "depth", None) != 2:
        return ""
    if language_active() != settings.LANGUAGE_CODE:
        return ""
    request = context.get("request")
    site = getattr(request, "_wagtail_site", None)
    return memoized(("edition_offer", getattr(site, "pk", None)), _edition_offer_html)


def _edition_offer_html() -> str:
    bars = []
    for code, name in languages_published():
        if code == settings.LANGUAGE_CODE:
            continue
        with translation.override(code):
            bars.append(
                format_html(
                    '<p class="edition-offer wrap" hidden data-edition-offer="{}"'
                    ' lang="{}" dir="{}"><a href="{}" hreflang="{}" data-edition-switch="{}">{}</a>'
                    ' <button type="button" class="edition-offer__close"'
                    " data-edition-offer-dismiss>{}</button></p>",
                    code,
                    code,
                    _direction(code),
                    home_url(language=code),
                    code,
                    code,
                    gettext("Read the %(language)s edition") % {"language": name},
                    gettext("No, thanks"),
                )
            )
    return format_html_join("", "{}", ((bar,) for bar in bars))


@register.simple_tag
def edition_tagline(default=""):
    """The active edition's tagline, else `default` (the site identity's)."""
    return edition_active().tagline or default
