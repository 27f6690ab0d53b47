"""A page's address, once per process per content version.

Wagtail's `Page.get_url(request)` finds the page's site among the site root
paths and reverses `wagtail_serve` in the page's language: ~25 µs, paid twice
per card on listings that print forty. The answer depends on the page's
`url_path` and locale and on the request's site; Sites and page moves bump the
content version (news/signals.py), which empties these entries.
"""

from functools import cache
from urllib.parse import quote

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

from .cache import memoized
from .origin import absolute_url


def page_url(page, request=None) -> str:
    if page is None or not page.pk:
        return ""
    site = getattr(request, "_wagtail_site", None)
    key = ("page_url", page.pk, page.url_path, page.locale_id, site.pk if site else None)
    return memoized(key, lambda: page.get_url(request) or "")


def url_path_address(url_path: str, request=None) -> str | None:
    """The absolute address on SITE_URL of the page at `url_path`, from the
    path alone, as `page_full_url` finds it for a page object: the first
    site root path it lies under, `wagtail_serve` in that root's language.
    For lists of thousands of pages read as plain rows (sitemaps): no page
    object is built, and `wagtail_serve` is reversed once per language; a
    page's own segments are slugs, quoted as `reverse` quotes them."""
    from wagtail.models import Site

    # Kept on the request, where Wagtail's own lookups keep them too.
    root_paths = getattr(request, "_wagtail_cached_site_root_paths", None)
    if root_paths is None:
        root_paths = Site.get_site_root_paths()
        if request is not None:
            request._wagtail_cached_site_root_paths = root_paths
    for _site_id, root_path, _root_url, language_code in root_paths:
        if url_path.startswith(root_path):
            prefix = _serve_prefix(language_code, get_script_prefix())
            if prefix is None:
                return None
            rest = quote(url_path[len(root_path) :], safe=RFC3986_SUBDELIMS + "/~:@")
            return absolute_url(prefix + rest)
    return None


@cache
def _serve_prefix(language_code: str, _script_prefix: str) -> str | None:
    try:
        with translation.override(language_code):
            return reverse("wagtail_serve", args=("",))
    except NoReverseMatch:
        return None
