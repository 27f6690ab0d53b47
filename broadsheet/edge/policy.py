"""Which answers may be kept, by whom and for how long (docs/architecture.md, "Edge").

An answer is *public* when it is the same for every reader: a GET or HEAD
from a reader who is not signed in, that sets no cookie and that the view did
not mark private. Public answers get a short browser lifetime, a long edge
lifetime (every change purges what it touched, by surrogate key), stale
serving while revalidating and while the site fails, a strong ETag and a
Last-Modified. Everything else is `private, no-store`.
"""

import hashlib
import re

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.functional import empty
from django.utils.http import http_date

from broadsheet.core.cache import memoized, versions_read

# Per-reader and staff addresses, with or without an edition's /xx/ prefix.
PRIVATE_PREFIXES = ("/admin/", "/django-admin/", "/accounts/", "/readers/", "/realtime/")
# Statuses an edge may keep; a 404 or 410 only briefly, since a page may be
# published at that address at any moment without a key naming it yet.
CACHEABLE_STATUSES = frozenset({200, 203, 300, 301, 308, 404, 410})
SHORT_LIVED_STATUSES = frozenset({404, 410})
SHORT_SECONDS = 60
# Fastly and Cloudflare cap the header near 16 KB; Varnish has no cap but
# every key costs memory per object. Past this many keys the answer names the
# first ones and lives only SHORT_SECONDS at the edge.
MAX_KEYS = 300
MAX_KEYS_BYTES = 8000
KEY_HEADERS = ("xkey", "Surrogate-Key", "Cache-Tag")
# Pages print when they were made, so realtime scripts catch up on what
# happened since (static/js/realtime.js). Two renders of the same content are
# the same answer to a browser that revalidates: the validator leaves it out.
RENDER_TIME = re.compile(rb'data-live-since="\d+"')


def path_is_private(path: str) -> bool:
    if path.startswith(PRIVATE_PREFIXES):
        return True
    # /ru/accounts/… : strip one language prefix.
    parts = path.split("/", 2)
    if len(parts) == 3 and 2 <= len(parts[1]) <= 3 and parts[1].isalpha():
        return ("/" + parts[2]).startswith(PRIVATE_PREFIXES)
    return False


def request_is_anonymous(request) -> bool:
    """Decided from the cookie alone, before any middleware loads a session:
    no session cookie, no signed-in reader. A stale session cookie of a signed
    out reader makes the request private, never the other way round."""
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def response_is_public(request, response) -> bool:
    if not request_is_anonymous(request) or path_is_private(request.path):
        return False
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "_wrapped", empty) is not empty:
        # The view looked at the reader: only an anonymous one keeps it public.
        if user.is_authenticated:
            return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def private_apply(response) -> None:
    """No keys, and never kept by a shared cache. A view's own non-public
    policy (`no-cache` for the service worker, `private, max-age=…`) is kept;
    an answer without one, or one a view marked public for a reader the edge
    must not share it with, becomes `private, no-store`."""
    for header in KEY_HEADERS:
        if header in response:
            del response[header]
    cache_control = response.get("Cache-Control", "").lower()
    if cache_control and "public" not in cache_control and "s-maxage" not in cache_control:
        return
    response["Cache-Control"] = "private, no-store"


def public_apply(
    response, *, keys: list[str], now: float, versions: dict[int, int] | None = None
) -> None:
    """Headers of a public answer; an explicit `public` lifetime set by the
    view (a fragment kept seconds, a feed a minute) is kept as it is."""
    keys, complete = _bounded(keys)
    cache_control = response.get("Cache-Control", "").lower()
    if "public" not in cache_control or "s-maxage" not in cache_control:
        short = response.status_code in SHORT_LIVED_STATUSES or not complete
        edge = SHORT_SECONDS if short else settings.BROADSHEET_CACHE_EDGE_SECONDS
        patch_cache_control(
            response,
            public=True,
            max_age=min(settings.BROADSHEET_CACHE_BROWSER_SECONDS, edge),
            s_maxage=edge,
        )
    patch_cache_control(
        response,
        stale_while_revalidate=settings.BROADSHEET_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.BROADSHEET_CACHE_STALE_IF_ERROR,
    )
    _vary_drop(response, {"cookie", "accept-language"})
    if keys:
        response["xkey"] = " ".join(keys)
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)
    if response.status_code != 200:
        return
    if not response.has_header("ETag"):
        # SHA-1 as a checksum, not a signature: half BLAKE2b's time on a 23 KB story.
        body = response.content
        if b"data-live-since" in body:
            body = RENDER_TIME.sub(b"", body)
        digest = hashlib.sha1(body, usedforsecurity=False).hexdigest()[:32]
        response["ETag"] = f'"{digest}"'
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = _last_modified(now, versions)


def _last_modified(now: float, versions: dict[int, int] | None) -> str:
    """When this process first answered with the current content and
    discussions versions: stable while nothing changes. (The render time
    would move every second, and a conditional request carrying only
    If-Modified-Since would miss whenever a second had passed.) Processes
    may differ by the moments they first saw a version; the ETag, compared
    first, is the same everywhere."""
    stamp = tuple(sorted((versions if versions is not None else versions_read()).items()))
    return memoized(("last_modified", stamp), lambda: http_date(now), version=stamp)


def _bounded(keys: list[str]) -> tuple[list[str], bool]:
    kept, size = [], 0
    for key in keys:
        size += len(key) + 1
        if len(kept) >= MAX_KEYS or size > MAX_KEYS_BYTES:
            return kept, False
        kept.append(key)
    return kept, True


def _vary_drop(response, names: set[str]) -> None:
    """Anonymous answers are the same whatever the cookies (the edge strips
    them) and whatever Accept-Language (the language is in the address: the
    default edition's is forced by i18n_patterns); a Vary on either would
    split the cache per reader."""
    if not response.has_header("Vary"):
        return
    kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() not in names]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]
