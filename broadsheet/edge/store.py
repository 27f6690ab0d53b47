"""The embedded full-response cache: a site with no edge in front still
answers a repeated anonymous request without rendering it.

Entries are keyed by the content and discussions versions (core/cache.py) and
the address, so a publish, a moderation or a restore makes every older entry
unreachable in every process at once, without a purge message: the version is
read once per request anyway. `process` keeps entries in each server process
(LRU, bounded in bytes); `shared` keeps them in Django's `default` cache
(Redis in production), so one render serves every process, and each process
keeps a copy of those it reads.
"""

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

# Headers a stored answer keeps; the outer middleware (CSP, security) adds its
# own on every answer, hit or miss.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "ETag",
    "Last-Modified",
    "Vary",
    "Location",
    "Link",
    "X-Robots-Tag",
    "Access-Control-Allow-Origin",
    *("xkey", "Surrogate-Key", "Cache-Tag"),
)
SHARED_TTL = 60 * 60
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @classmethod
    def of(cls, response) -> "Entry":
        headers = tuple((h, response[h]) for h in STORED_HEADERS if response.has_header(h))
        return cls(status=response.status_code, headers=headers, body=response.content)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


class ProcessStore:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def set(self, key: tuple, entry: Entry) -> None:
        cost = len(entry.body) + 512
        if cost > self.max_bytes // 8:
            return
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old.body) + 512
            self.entries[key] = entry
            self.size += cost
            while self.size > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.body) + 512

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


class SharedStore:
    """Entries in a Django cache; a cache that fails is a miss, never an error.

    The entries read are also kept in the process (`local`, LRU): an entry
    never changes under its key (the versions are part of it), so the copy
    cannot go stale, and a page read again needs no round trip to Redis and
    no unpickling of its body."""

    def __init__(self, alias: str = "default", local: ProcessStore | None = None):
        self.alias = alias
        self.local = local

    def _key(self, key: tuple) -> str:
        import hashlib

        return "edge:" + hashlib.blake2b(repr(key).encode(), digest_size=20).hexdigest()

    def get(self, key: tuple) -> Entry | None:
        if self.local is not None and (entry := self.local.get(key)) is not None:
            return entry
        try:
            raw = caches[self.alias].get(self._key(key))
        except Exception:  # noqa: BLE001 - the cache being down is a miss
            _failure_log()
            return None
        if not isinstance(raw, Entry):
            return None
        if self.local is not None:
            self.local.set(key, raw)
        return raw

    def set(self, key: tuple, entry: Entry) -> None:
        if self.local is not None:
            self.local.set(key, entry)
        try:
            caches[self.alias].set(self._key(key), entry, SHARED_TTL)
        except Exception:  # noqa: BLE001
            _failure_log()

    def clear(self) -> None:
        if self.local is not None:
            self.local.clear()
        try:
            caches[self.alias].clear()
        except Exception:  # noqa: BLE001
            _failure_log()


_failure_logged_at = 0.0


def _failure_log() -> None:
    """Once a minute at most: a cache that is down fails every request."""
    global _failure_logged_at
    now = time.monotonic()
    if now - _failure_logged_at >= 60:
        _failure_logged_at = now
        logger.warning("response cache unavailable: answering without it", exc_info=True)


_store = None
_store_lock = threading.Lock()


def store_get():
    """The configured store, or None when the embedded cache is off."""
    global _store
    mode = settings.BROADSHEET_RESPONSE_CACHE
    if mode == "off":
        return None
    with _store_lock:
        wanted = SharedStore if mode == "shared" else ProcessStore
        if not isinstance(_store, wanted):
            local = ProcessStore(settings.BROADSHEET_RESPONSE_CACHE_MB * 1024 * 1024)
            _store = SharedStore(local=local) if mode == "shared" else local
        return _store


def store_clear() -> None:
    if _store is not None:
        _store.clear()
