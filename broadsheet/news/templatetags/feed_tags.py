"""Feed links for pages: `<link rel="alternate">` in the head (feed readers and
browsers discover feeds there) and the list readers pick from (feed_list.html).
"""

from dataclasses import dataclass

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from broadsheet.core.cache import memoized
from broadsheet.core.models import SiteIdentity
from broadsheet.core.origin import absolute_url
from broadsheet.core.rendered import template_by_value
from broadsheet.news.feeds.json_feed import JSON_FEED_TYPE
from broadsheet.news.feeds.rss_atom import ATOM_TYPE, RSS_TYPE
from broadsheet.news.selectors import sections_in_menu

register = template.Library()

FORMATS = (
    ("xml", RSS_TYPE, "RSS"),
    ("atom", ATOM_TYPE, "Atom"),
    ("json", JSON_FEED_TYPE, "JSON Feed"),
)


@dataclass(frozen=True)
class FeedLink:
    url: str
    type: str
    label: str


def feed_links(kind: str = "site", slug: str | None = None) -> list[FeedLink]:
    """The feed's address in each format, in the active language; none for a
    name the feed URLs refuse (page slugs are ASCII, WAGTAIL_ALLOW_UNICODE_SLUGS
    is off, but a tag's may not be), rather than an error on the page."""
    name = f"feed_{kind}"
    args = {} if kind == "site" else {"slug": slug}
    try:
        return [
            FeedLink(reverse(name, kwargs={"fmt": fmt, **args}), mime, label)
            for fmt, mime, label in FORMATS
        ]
    except NoReverseMatch:
        return []


def _subject(kind: str, subject) -> tuple[str | None, str]:
    """The URL slug and the display name of a section, topic (tag) or author."""
    if kind == "topic":
        return subject.slug, subject.name
    return subject.slug, subject.title


@register.simple_tag(takes_context=True)
def feed_alternates(context, kind: str = "site", subject=None):
    """`<link rel="alternate">` for one feed in its three formats. Without a
    subject (or for a page with no section), the site's feed.

    Every page prints one or two of these: reversing three feed URLs and
    rendering the links cost ~0.2 ms each time. The markup depends only on
    the feed, its title and the language, so it is kept in the memo under
    exactly those values (core/rendered.py, as the cards are)."""
    identity = SiteIdentity.for_request(context.get("request"))
    if kind == "site" or subject is None:
        kind, slug, title = "site", None, identity.name
    else:
        slug, shown = _subject(kind, subject)
        title = f"{identity.name}: {shown}"
    return template_by_value(
        "news/includes/feed_alternates.html",
        {"kind": kind, "slug": slug, "title": title},
        context=lambda v: {"links": feed_links(v["kind"], v["slug"]), "title": v["title"]},
    )


@dataclass(frozen=True)
class FeedChoice:
    name: str
    links: list[FeedLink]


@register.simple_tag
def feed_directory() -> list[FeedChoice]:
    """The site's feed and one per section of the menu, each in every format,
    with absolute addresses (readers copy them into an app). Kept per content
    version and language, like the section menu it follows."""
    language = translation.get_language()
    return memoized(("feed_directory", language), lambda: _directory(language))


def _absolute(links: list[FeedLink]) -> list[FeedLink]:
    return [FeedLink(absolute_url(link.url), link.type, link.label) for link in links]


def _directory(language: str) -> list[FeedChoice]:
    # A translated section shares its slug, so its feed address: list it once,
    # under its name in the reader's language when it has one.
    by_slug: dict[str, object] = {}
    active = Locale.get_active().pk
    for section in sections_in_menu():
        if section.slug not in by_slug or section.locale_id == active:
            by_slug[section.slug] = section
    return [
        FeedChoice(_("Everything we publish"), _absolute(feed_links())),
        *(
            FeedChoice(section.title, _absolute(feed_links("section", slug)))
            for slug, section in by_slug.items()
        ),
    ]
