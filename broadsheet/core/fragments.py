"""Rendered fragments kept per process until what they show changes.

The content-version memo (core/cache.py) is emptied by every publish, which
is right for listings (any publish may change them) but wasteful for a story:
its headline, photo, byline and body do not change when another story is
published, yet after each publish every process rendered every story again.

A fragment here is tagged with the surrogate keys of what it shows — the keys
the edge purges by (core/surrogate.py) — and stays until one of them is
purged. The purge rules write each key they purge to `core.StaleKey` inside
the change's transaction (edge/services.edge_keys_purge) and bump a counter
beside the content version (core.cache.STALE_KEYS_ROW); every request
already reads that counter in its one versions query, and the first request
that sees it move reads the recent keys (one query) and drops the fragments
that named them. So a fragment is exactly as fresh as the edge
cache: any change that would purge the page at the edge drops it here too.

A fragment computed while the process synced to a newer stamp is not kept
(a change committed while it was being rendered). Entries also expire after
MEMO_TTL; each sync reads the last STALE_KEYS_WINDOW of rows, and the
scheduler deletes rows after an hour.
"""

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from .cache import MEMO_TTL, STALE_KEYS_ROW, memo_clear_also, version_bump, versions_read
from .surrogate import surrogate_keys_add, surrogate_keys_capture

FRAGMENTS_MAX = 2000
STALE_KEYS_KEEP = timedelta(hours=1)
# How far back each sync reads: longer than a change's transaction stays open.
STALE_KEYS_WINDOW = timedelta(minutes=15)

# key -> (stored at, markup, surrogate keys, changes at, version)
_entries: OrderedDict[Any, tuple[float, str, tuple[str, ...], datetime | None, Any]] = OrderedDict()
_changes: ContextVar[list | None] = ContextVar("fragment_changes", default=None)
_by_tag: dict[str, set] = {}
_lock = threading.Lock()
# The stale-keys counter last synced to, and the core_stalekey ids read then.
_synced: int | None = None
_seen: set[int] = set()
_recent: deque[int] = deque(maxlen=64)


def fragment_memoized(
    key, compute: Callable[[], str], *, tags: Iterable[str] = (), version: Any = None
) -> str:
    """`compute()` once per process until a key it names (while computing,
    or in `tags`) is purged, or a moment it named with fragment_changes_at
    passes, or (when given) `version` differs from the one it was kept
    under: one entry per key, replaced when the version moves. The keys are
    also named on the answer."""
    seen = _sync()
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
        if (
            hit is not None
            and now - hit[0] < MEMO_TTL
            and (hit[3] is None or timezone.now() < hit[3])
            and hit[4] == version
        ):
            _entries.move_to_end(key)
            surrogate_keys_add(*hit[2])
            if hit[3] is not None:
                # A fragment kept inside another: the outer one changes then too.
                fragment_changes_at(hit[3])
            return hit[1]
    moments = []
    token = _changes.set(moments)
    try:
        value, captured = surrogate_keys_capture(compute)
    finally:
        _changes.reset(token)
    until = min(moments, default=None)
    if until is not None:
        fragment_changes_at(until)
    tags = tuple(tags)
    names = tuple(dict.fromkeys((*captured, *tags)))
    # The captured keys are on the answer already (surrogate_keys_capture).
    surrogate_keys_add(*tags)
    with _lock:
        if seen != _synced:
            return value
        _drop(key)
        _entries[key] = (now, value, names, until, version)
        for name in names:
            _by_tag.setdefault(name, set()).add(key)
        while len(_entries) > FRAGMENTS_MAX:
            _drop(next(iter(_entries)))
    return value


def fragment_changes_at(moment: datetime) -> None:
    """What is being rendered changes by itself at `moment`, with no purge
    (a photo's licence expires): a fragment holding it is kept until then."""
    moments = _changes.get()
    if moments is not None:
        moments.append(moment)


def fragments_clear() -> None:
    global _synced
    with _lock:
        _forget()
        _recent.clear()
        _synced = None


def _forget() -> None:
    """Every fragment and every key read; with _lock held."""
    _entries.clear()
    _by_tag.clear()
    _seen.clear()


memo_clear_also(fragments_clear)


def _sync():
    """Drop the fragments whose keys were purged since this process last
    looked; returns the stale-keys counter this request saw."""
    global _synced
    stamp = versions_read().get(STALE_KEYS_ROW, 0)
    if stamp == _synced or stamp in _recent:
        # Nothing new, or a request that started before this process's last
        # sync (it reads, but what it renders is not kept: see above).
        return stamp
    if _synced is not None and stamp < _synced:
        # The counter went back: a restored database. (Or a request that read
        # the versions at a moment this process synced past: rare, and
        # dropping everything is only slower.)
        with _lock:
            _forget()
            _synced = stamp
            _recent.append(stamp)
        return stamp
    # Rows are read by age, not from the last id seen: on PostgreSQL a
    # transaction can commit after one that took a higher id, and its keys
    # would be skipped. Its counter bump makes the stamp move when it commits.
    since = timezone.now() - STALE_KEYS_WINDOW
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, key FROM core_stalekey WHERE created_at >= %s", [since])
        rows = cursor.fetchall()
    with _lock:
        for row_id, name in rows:
            if row_id in _seen:
                continue
            for key in _by_tag.pop(name, ()):
                _drop(key)
        _seen.clear()
        _seen.update(row_id for row_id, _name in rows)
        _synced = stamp
        _recent.append(stamp)
    return stamp


def _drop(key) -> None:
    entry = _entries.pop(key, None)
    if entry is None:
        return
    for name in entry[2]:
        keys = _by_tag.get(name)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del _by_tag[name]


def stale_keys_record(*, keys: Iterable[str]) -> None:
    """Called inside the change's transaction, with the keys it purges."""
    from .models import StaleKey

    rows = [StaleKey(key=key) for key in keys]
    if rows:
        StaleKey.objects.bulk_create(rows)
        version_bump(STALE_KEYS_ROW)


def stale_keys_prune(*, now=None) -> int:
    from .models import StaleKey

    now = now or timezone.now()
    return StaleKey.objects.filter(created_at__lt=now - STALE_KEYS_KEEP).delete()[0]
