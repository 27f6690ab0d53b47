"""The site-wide content version and the per-process memo built on it.

Every publish, unpublish or delete of a page that public listings show (and
every change of the site identity) bumps one integer row *inside* the
publishing transaction, so the new number becomes visible to every process
exactly when the change commits, and a rolled-back publish bumps nothing.

Each request reads that number once (one indexed query, see
ContentVersionMiddleware, which also brings the discussions version: row 2
of the same table); data that every page repeats — the section menu,
the newsfeed box, the site identity — is then computed once per process per
version instead of once per request. No Redis is needed for this to be
correct across processes; entries also expire after MEMO_TTL seconds as a
safety net (for example after a database restore sets the number back).
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import connection
from django.db.models import F

from .surrogate import surrogate_keys_add, surrogate_keys_capture

MEMO_TTL = 300
MEMO_MAX_ENTRIES = 5000

# Rows of core_contentversion: independent counters read together in the one
# query per request. Row 2 moves when a story's visible comments change
# (broadsheet/discussions/cache.py), so comment counts can be memoised without
# a second query and without discarding the content memo on every comment.
CONTENT_ROW = 1
DISCUSSIONS_ROW = 2
# Row 3 moves with every surrogate key the purge rules write to core_stalekey,
# in the same transaction (core/fragments.py): a process knows from this one
# number when kept fragments may have gone stale. (A count of the table's rows
# read here cost 0.2 ms per request with 25,000 rows.)
STALE_KEYS_ROW = 3

_request_version: ContextVar[dict[int, int] | None] = ContextVar("content_version", default=None)
_memo: OrderedDict[Any, tuple[int, float, Any]] = OrderedDict()
_lock = threading.Lock()
_also_cleared: list[Callable[[], None]] = []


def versions_read() -> dict[int, int]:
    current = _request_version.get()
    if current is not None:
        return current
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, version FROM core_contentversion WHERE id IN (%s, %s, %s)",
            [CONTENT_ROW, DISCUSSIONS_ROW, STALE_KEYS_ROW],
        )
        return dict(cursor.fetchall())


def content_version() -> int:
    return versions_read().get(CONTENT_ROW, 0)


def version_bump(row: int) -> None:
    from .models import ContentVersion

    if not ContentVersion.objects.filter(pk=row).update(version=F("version") + 1):
        ContentVersion.objects.create(pk=row, version=2)
    _request_version.set(None)


def content_version_bump() -> None:
    version_bump(CONTENT_ROW)


def memoized(key, compute: Callable[[], Any], *, keep_none: bool = True, version=None) -> Any:
    """`compute()`'s result for the current content version (or the given
    `version`), once per process."""
    if version is None:
        version = content_version()
    now = time.monotonic()
    with _lock:
        hit = _memo.get(key)
        if hit is not None and hit[0] == version and now - hit[1] < MEMO_TTL:
            _memo.move_to_end(key)
            # What the memoised part showed is named again on this answer,
            # so an edge purge reaches every page that printed it.
            surrogate_keys_add(*hit[3])
            return hit[2]
    value, keys = surrogate_keys_capture(compute)
    if value is None and not keep_none:
        return value
    with _lock:
        _memo[key] = (version, now, value, keys)
        _memo.move_to_end(key)
        while len(_memo) > MEMO_MAX_ENTRIES:
            _memo.popitem(last=False)
    return value


def memo_clear() -> None:
    with _lock:
        _memo.clear()
    for clear in _also_cleared:
        clear()


def memo_clear_also(clear: Callable[[], None]) -> None:
    """`clear` runs with every memo_clear(): other per-process stores built
    above this one (core/fragments.py) empty with it."""
    _also_cleared.append(clear)


class ContentVersionMiddleware:
    """Reads the content version once per request, and gives Wagtail the
    request's Site from the memo (Wagtail looks for `request._wagtail_site`
    before querying). The Site keeps its root page loaded, so routing starts
    without three queries (site, root page, its specific type)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request_version.set(None)
        # The edge middleware, above the session, may have read it already.
        versions = getattr(request, "_content_versions", None) or versions_read()
        token = _request_version.set(versions)
        try:
            self._attach_site(request)
            return self.get_response(request)
        finally:
            _request_version.reset(token)

    @staticmethod
    def _attach_site(request):
        from django.http.request import split_domain_port
        from wagtail.models import Site

        host, port = split_domain_port(request._get_raw_host())[0], request.get_port()
        request._wagtail_site = memoized(
            ("wagtail_site", host, port), lambda: Site._find_for_request(request)
        )
