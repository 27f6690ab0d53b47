"""A page's address, once per process per content version.

Wagtail's `Page.get_url(request)` finds the page's site among the site root
paths and reverses `wagtail_serve` in the page's language: ~25 µs, paid twice
per card on listings that print forty. The answer depends on the page's
`url_path` and locale and on the request's site; Sites and page moves bump the
content version (news/signals.py), which empties these entries.
"""

from .cache import memoized


def page_url(page, request=None) -> str:
    if page is None or not page.pk:
        return ""
    site = getattr(request, "_wagtail_site", None)
    key = ("page_url", page.pk, page.url_path, page.locale_id, site.pk if site else None)
    return memoized(key, lambda: page.get_url(request) or "")
