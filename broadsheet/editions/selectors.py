"""Which edition a request is in, its front page, and a page's translations.

Everything here is memoised per content version (core/cache.py), so an
edition costs the same queries as the default one, whatever the number of
editions: a request in /ar/ makes no query that a request in / does not.
"""

import copy
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from wagtail.models import Locale, Page, Site

from broadsheet.core.cache import memoized
from broadsheet.core.privacy import any_private_pages

from .models import Edition


def locale_ids() -> dict[str, int]:
    """Language code → Locale pk, for every locale that exists."""
    return memoized("locale_ids", lambda: dict(Locale.objects.values_list("language_code", "pk")))


def locale_id_for(*, language: str) -> int | None:
    return locale_ids().get(language)


def locale_id_active() -> int | None:
    return locale_id_for(language=translation.get_language() or settings.LANGUAGE_CODE)


def edition_for(*, language: str) -> Edition:
    """The edition of `language`; an unsaved one with the site's defaults
    where no Edition row exists yet (a locale added but not configured)."""

    def build() -> Edition:
        edition = (
            Edition.objects.select_related("locale").filter(locale__language_code=language).first()
        )
        if edition is None:
            locale = Locale(pk=locale_id_for(language=language), language_code=language)
            edition = Edition(locale=locale, time_zone=settings.TIME_ZONE)
        return edition

    return memoized(("edition", language), build)


def edition_active() -> Edition:
    return edition_for(language=translation.get_language() or settings.LANGUAGE_CODE)


def home_for(*, language: str):
    """The live front page of an edition, or None while it has none."""

    def build():
        locale_id = locale_id_for(language=language)
        if locale_id is None:
            return None
        # The front pages are the root's children, one per locale, and
        # translations of the default site's root page: found by translation
        # key and locale (a unique index). Found by depth, which has no
        # index, SQLite walks the tree in path order past every story of the
        # editions before it (10 ms a language at 100,000 stories).
        # Unordered: ordered by path, SQLite prefers the path index again.
        homes = Page.objects.live().filter(depth=2, locale_id=locale_id).order_by().specific()
        root_keys = Site.objects.filter(is_default_site=True).values("root_page__translation_key")
        for home in homes.filter(translation_key__in=root_keys)[:1]:
            return home
        # A front page made on its own, not as a translation of the root.
        for home in homes[:1]:
            return home
        return None

    return memoized(("edition_home", language), build)


def languages_published() -> list[tuple[str, str]]:
    """(code, name) of the editions readers can open: a language of
    settings.LANGUAGES whose front page is live, in the settings' order."""
    return memoized(
        "languages_published",
        lambda: [(code, name) for code, name in settings.LANGUAGES if home_for(language=code)],
    )


def site_for_edition(*, site, language: str):
    """The request's Site with the edition's front page as its root, so that
    Wagtail's routing (`site.root_page.localized.specific`) starts from it
    without looking the translation up on every request."""

    def build():
        home = home_for(language=language)
        if home is None:
            return site
        edition_site = copy.copy(site)
        edition_site.root_page = home
        return edition_site

    return memoized(("wagtail_site_edition", site.pk, language), build)


@dataclass(frozen=True)
class Translation:
    language: str
    url: str
    page_id: int
    # A story's public time: an embargoed translation is not linked before it.
    public_from: datetime | None = None


def translations_of(*, page) -> list[Translation]:
    """Every live, public version of `page` in the editions (itself included),
    in the settings' language order. Use `translations_public` when printing."""

    def build() -> list[Translation]:
        pages = Page.objects.live().filter(translation_key=page.translation_key)
        if any_private_pages():
            pages = pages.public()
        pages = list(pages.select_related("locale").specific())
        order = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}
        found = [
            Translation(
                language=p.locale.language_code,
                url=p.get_url(),
                page_id=p.pk,
                public_from=getattr(p, "published_at", None),
            )
            for p in pages
            if p.locale.language_code in order
        ]
        return sorted(found, key=lambda t: order[t.language])

    return memoized(("translations", str(page.translation_key)), build)


def translations_public(*, page) -> list[Translation]:
    """`translations_of` minus stories whose embargo has not passed: the
    memo may be older than the clock, the embargo is checked now."""
    now = timezone.now()
    return [
        t
        for t in translations_of(page=page)
        if t.url and (t.public_from is None or t.public_from <= now)
    ]
