"""Surrogate keys: the names of what an answer shows, so an edge cache can
drop exactly the answers a change touches (docs/architecture.md, "Edge").

Any code that renders part of a public answer names what it showed with
`surrogate_keys_add`; the edge middleware (broadsheet/edge/middleware.py) sends
the request's keys as `xkey`, `Surrogate-Key` and `Cache-Tag`, and the purge
rules (`*_purge_keys` in the apps) name the same keys when something changes.
Keys are short because every answer carries dozens and CDNs cap the header.

Names, where <id> is a database id and <e> an edition's Locale id:
  site        the site identity (name, logo) on every page
  e<e>        an edition's shared parts: masthead, section menu, tagline
  nf<e>       the newsfeed box on an edition's pages
  p<id>       a page: its own address and every card, byline or link showing it
  ph<id>      a photo: wherever it is printed, and its media bank page
  cc<id>      a story's comment count
  d<id>       a story's discussion (thread page and fragment)
  tg<id>      a topic (tag) name
  lf<e>       an edition's front-page listing
  ls<id>      a section's listing (its page, feed)
  la<id>      an author's listing (their page, feed)
  lt<id>      a topic's listing (its page, feed)
  ln<e>       an edition's full newsfeed: newsfeed and cursor pages, site feeds,
              search results, author and topic indexes
  sm          the sitemap index and every edition's file of pages
  sm<e>       an edition's Google News sitemap
  sm<e>m<ym>  an edition's story sitemap of one month (sm3m202612)
  lb          the media bank's listing
"""

from contextvars import ContextVar

BANK_KEY = "lb"
SITE_KEY = "site"

_keys: ContextVar[dict[str, None] | None] = ContextVar("surrogate_keys", default=None)


def surrogate_keys_begin() -> object:
    return _keys.set({})


def surrogate_keys_end(token) -> list[str]:
    keys = _keys.get() or {}
    _keys.reset(token)
    return list(keys)


def surrogate_keys_add(*keys: str) -> None:
    collected = _keys.get()
    if collected is not None:
        for key in keys:
            collected[key] = None


def surrogate_keys_capture(compute):
    """`compute()` and the keys it named, which are also added to the answer's."""
    token = _keys.set({})
    try:
        value = compute()
    finally:
        captured = tuple(_keys.get())
        _keys.reset(token)
    surrogate_keys_add(*captured)
    return value, captured


def page_key(page_id: int) -> str:
    return f"p{page_id}"


def photo_key(photo_id: int) -> str:
    return f"ph{photo_id}"


def edition_key(locale_id: int) -> str:
    return f"e{locale_id}"


def comment_count_key(page_id: int) -> str:
    return f"cc{page_id}"


def discussion_key(page_id: int) -> str:
    return f"d{page_id}"


def edition_listing_key(locale_id) -> str:
    """An edition's full newsfeed (`ln<e>`): every story published in it
    changes it; also named by every "not found" answer in the edition."""
    return f"ln{locale_id}"
