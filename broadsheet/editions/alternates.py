"""What a page says about its other editions: hreflang alternates, og:locale,
and where each entry of the language switch leads.

Reads only (memoised selectors), computed per request from the page and the
request's path: nothing here reads a cookie, so every page stays the same for
every reader and cacheable.

Rules (docs: NOTES-reader.md):
- A Wagtail page lists the live, public, not-embargoed versions of itself
  (`translations_public`), on its own address only: a sub-route (photo 3 of
  a gallery, a live post's permalink, a topic under /topics/) or a paginated
  listing (`?before=`) is not the same document in another edition.
- A view that every edition has (newsfeed, search landing, feed list, media
  bank) lists every published edition, its address made by `translate_url`.
- x-default is the version in the first language of settings.LANGUAGES that
  has the page: the default edition's when it exists. Every member of a set
  computes the same list, so the set is reciprocal by construction.
"""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from broadsheet.core.cache import memoized
from broadsheet.core.origin import absolute_url

from .selectors import home_for, languages_published, translations_public

# Open Graph wants a territory: the one an international agency's edition
# in that language is usually read from (Facebook's list of locales).
OG_LOCALES = {
    "en": "en_GB",
    "ru": "ru_RU",
    "es": "es_ES",
    "ar": "ar_AR",
    "fr": "fr_FR",
    "de": "de_DE",
    "pt": "pt_PT",
    "it": "it_IT",
    "tr": "tr_TR",
    "uk": "uk_UA",
    "fa": "fa_IR",
    "zh-hans": "zh_CN",
    "ja": "ja_JP",
    "hi": "hi_IN",
}

# Non-page views that exist, with the same meaning, in every edition.
EVERY_EDITION_VIEWS = frozenset(
    {
        "newsfeed",
        "search",
        "feed_index",
        "mediabank:photo_list",
        "mediabank:photo_detail",
        "chats:list",
    }
)


@dataclass(frozen=True)
class Alternate:
    language: str
    url: str  # absolute, on SITE_URL


@dataclass(frozen=True)
class SwitchLink:
    language: str
    name: str
    url: str  # a path (or an absolute address when a page lives on another site)
    current: bool


def home_url(*, language: str) -> str:
    """An edition's front page address ("/" while it has none), computed once
    per content version: Wagtail's `page.url` asks the cache for the sites'
    root paths on every call."""

    def build() -> str:
        home = home_for(language=language)
        url = home.url if home is not None else None
        return url or "/"

    return memoized(("edition_home_url", language), build)


def og_locale(language: str) -> str:
    return OG_LOCALES.get(language) or translation.to_locale(language)


def language_active() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def is_wagtail_page(request, page) -> bool:
    match = getattr(request, "resolver_match", None)
    return (
        page is not None
        and getattr(page, "translation_key", None) is not None
        and match is not None
        and match.url_name == "wagtail_serve"
    )


def address_is_bare(request) -> bool:
    """True when the address selects nothing beyond the document itself
    (campaign tags aside): a cursor or a filter is not the same list elsewhere."""
    return all(key.startswith("utm_") for key in request.GET)


def _view_name(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None


def page_alternates(*, request, page=None) -> list[Alternate]:
    """Every edition's version of this address (itself included), in the
    settings' language order; empty when there is no other one."""
    if request is None or not address_is_bare(request):
        return []
    if is_wagtail_page(request, page):
        found = translations_public(page=page)
        own = [t for t in found if t.page_id == page.pk]
        # A preview, a private page or a sub-route lists nothing.
        if not own or urlsplit(own[0].url).path != request.path:
            return []
        alternates = [Alternate(t.language, absolute_url(t.url)) for t in found]
    elif _view_name(request) in EVERY_EDITION_VIEWS:
        if _view_name(request) == "search" and request.GET.get("q"):
            return []
        alternates = [
            Alternate(code, absolute_url(translate_url(request.path, code)))
            for code, _name in languages_published()
        ]
    else:
        return []
    return alternates if len(alternates) > 1 else []


def x_default(alternates: list[Alternate]) -> Alternate | None:
    return alternates[0] if alternates else None


def _same_view_elsewhere(request, language: str) -> str | None:
    """The same non-page view under `language`'s prefix (search keeps its
    words; other queries name things of one edition, such as a section)."""
    if _view_name(request) in (None, "wagtail_serve"):
        return None
    url = translate_url(request.path, language)
    if url == request.path and language != language_active():
        return None  # not a language-prefixed view
    query = request.GET.get("q") if _view_name(request) == "search" else None
    return f"{url}?{urlencode({'q': query})}" if query else url


def switch_links(*, request, page=None) -> list[SwitchLink]:
    """One entry per published edition: the same page there when a public
    translation exists, else that edition's front page."""
    current = language_active()
    translated = {}
    if request is not None and page is not None and is_wagtail_page(request, page):
        translated = {t.language: t.url for t in translations_public(page=page)}
    links = []
    for code, name in languages_published():
        url = translated.get(code)
        if url is None and request is not None and not translated:
            url = _same_view_elsewhere(request, code)
        if url is None:
            url = home_url(language=code)
        links.append(SwitchLink(language=code, name=name, url=url, current=code == current))
    return links
