"""Redis as a cache that may fail: while it is down every read is a miss and
every write is dropped, logged once a minute, never an error for the reader.

Nothing Broadsheet keeps in the cache is the only copy (renditions' records,
rate-limit counters, the shared response cache), so losing it costs speed,
not correctness; the database stays the source of truth.
https://docs.djangoproject.com/en/5.2/topics/cache/#redis
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60
_logged_at = 0.0


def _failed(operation: str) -> None:
    global _logged_at
    now = time.monotonic()
    if now - _logged_at >= LOG_EVERY_SECONDS:
        _logged_at = now
        logger.warning(
            "Redis cache unavailable (%s): answering without it", operation, exc_info=True
        )


def _tolerant(name: str, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError:
            _failed(name)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


def _default(key, default=None, *args, **kwargs):
    return default


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", lambda *a, **k: {})
    has_key = _tolerant("has_key", False)
    set = _tolerant("set", None)
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    set_many = _tolerant("set_many", lambda data, *a, **k: list(data))
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError:
            # A rate limit counts from zero again rather than refusing everyone.
            _failed("incr")
            return delta
