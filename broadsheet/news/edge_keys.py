"""What each news page names in its answer (`page_response_keys`) and what a
change to it purges (`page_purge_keys`): both sides of the same key names
(core/surrogate.py), kept together so a newcomer sees they match.

A story's publish purges its own page, its translations (their hreflang
links change), the listings it is in (front page, section, full newsfeed
with feeds and search, its authors', its topics'), its edition's sitemaps and
the media bank pages of its photos; the newsfeed box every page of its edition
shows is purged softly (the edge may serve it once more while refetching:
open pages update it live anyway).
"""

from datetime import UTC, datetime

from broadsheet.core.cache import memoized
from broadsheet.core.surrogate import edition_key, edition_listing_key, page_key, photo_key

from .models import (
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    GalleryPage,
    HomePage,
    SectionPage,
    TagIndexPage,
)


def front_key(locale_id) -> str:
    return f"lf{locale_id}"


def newsfeed_box_key(locale_id) -> str:
    return f"nf{locale_id}"


def newsfeed_key(locale_id) -> str:
    return edition_listing_key(locale_id)


def section_key(section_id) -> str:
    return f"ls{section_id}"


def author_key(author_id) -> str:
    return f"la{author_id}"


def topic_key(tag_id) -> str:
    return f"lt{tag_id}"


def tag_name_key(tag_id) -> str:
    return f"tg{tag_id}"


def sitemap_key(locale_id=None) -> str:
    return "sm" if locale_id is None else f"sm{locale_id}"


def sitemap_month_key(locale_id, moment: datetime) -> str:
    """An edition's story sitemap of the UTC month of `moment` (`sm3m202612`)."""
    moment = moment.astimezone(UTC)
    return f"sm{locale_id}m{moment.year:04d}{moment.month:02d}"


def page_response_keys(page) -> list[str]:
    """The keys a served page names besides what its templates name
    (photos, cards, comment counts)."""
    return memoized(("edge_page_keys", page.pk), lambda: _response_keys(page))


def _response_keys(page) -> list[str]:
    locale = page.locale_id
    keys = [page_key(page.pk)]
    if isinstance(page, ArticlePage):
        keys.append(newsfeed_box_key(locale))
        keys += [page_key(a) for a in page.bylines.values_list("author_id", flat=True)]
        keys += [tag_name_key(t) for t in page.tagged_items.values_list("tag_id", flat=True)]
    elif isinstance(page, HomePage):
        keys += [front_key(locale), newsfeed_box_key(locale)]
    elif isinstance(page, SectionPage):
        keys.append(section_key(page.pk))
    elif isinstance(page, AuthorPage):
        keys.append(author_key(page.pk))
    elif isinstance(page, (AuthorIndexPage, TagIndexPage)):
        keys.append(newsfeed_key(locale))
    return keys


def page_purge_keys(page) -> tuple[list[str], list[str]]:
    """(hard, soft) keys a change of `page` makes stale."""
    from broadsheet.mediabank.tasks import page_photo_ids

    page = page.specific
    locale = page.locale_id
    hard = [page_key(page.pk), sitemap_key(locale), sitemap_key()]
    translations = _translations(page)
    hard += [page_key(pk) for pk, _locale, _published_at in translations]
    soft = []
    if isinstance(page, (ArticlePage, GalleryPage)):
        # Its month's sitemap, and its translations' (their hreflang names it).
        versions = [(page.pk, locale, page.published_at), *translations]
        hard += [
            sitemap_month_key(locale_id, published_at)
            for _pk, locale_id, published_at in versions
            if published_at is not None
        ]
        hard += [front_key(locale), newsfeed_key(locale)]
        parent = page.section_id if isinstance(page, ArticlePage) else page.get_parent().pk
        if parent:
            hard.append(section_key(parent))
        hard += [photo_key(pk) for pk in page_photo_ids(page)]
        soft.append(newsfeed_box_key(locale))
    if isinstance(page, ArticlePage):
        hard += [author_key(a) for a in page.bylines.values_list("author_id", flat=True)]
        hard += [topic_key(t) for t in page.tagged_items.values_list("tag_id", flat=True)]
    elif isinstance(page, SectionPage):
        hard += [edition_key(locale), section_key(page.pk)]
    elif isinstance(page, HomePage):
        hard += [edition_key(locale), front_key(locale)]
    elif isinstance(page, AuthorPage):
        hard += [author_key(page.pk), newsfeed_key(locale)]
    elif isinstance(page, (AuthorIndexPage, TagIndexPage)):
        hard.append(newsfeed_key(locale))
    return hard, soft


def _translations(page) -> list[tuple]:
    """(pk, locale id, public time or None) of the page's other versions."""
    others = type(page).objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    if isinstance(page, (ArticlePage, GalleryPage)):
        return list(others.values_list("pk", "locale_id", "published_at"))
    return [(pk, locale_id, None) for pk, locale_id in others.values_list("pk", "locale_id")]
