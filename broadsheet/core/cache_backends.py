"""Redis as a cache that may fail: while it is down every read is a miss and
every write is dropped, logged once a minute, never an error for the reader.

Nothing Broadsheet keeps in the cache is the only copy (renditions' records,
rate-limit counters, the shared response cache), so losing it costs speed,
not correctness; the database stays the source of truth.
https://docs.djangoproject.com/en/5.2/topics/cache/#redis
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
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


# (server, pool options) -> the process's one (connection pool, client) for it.
_pools: dict = {}
_pools_lock = threading.Lock()


class SharedPoolClient(RedisCacheClient):
    """Connections and clients shared by the whole process.

    Django keeps a cache backend per asynchronous context, not per thread
    (`CacheHandler.thread_critical` is False), and under the ASGI server every
    request is a new context: each request built a new backend, a new
    connection pool and so a new TCP connection to Redis (with redis-py's
    version lookup in package metadata on each connect). A shared response
    cache hit cost 2.3 ms of CPU that way (bench/NOTES.md). Pools and clients
    are safe to share between threads: each command takes a connection from
    the pool. https://redis-py.readthedocs.io/en/stable/connections.html"""

    @cached_property
    def _options_key(self) -> tuple:
        return tuple(sorted((k, repr(v)) for k, v in self._pool_options.items()))

    def _shared(self, write):
        """(pool, client) of the server this call goes to."""
        server = self._servers[self._get_connection_pool_index(write)]
        key = (server, self._options_key)
        entry = _pools.get(key)
        if entry is None:
            with _pools_lock:
                entry = _pools.get(key)
                if entry is None:
                    pool = self._pool_class.from_url(server, **self._pool_options)
                    entry = _pools[key] = (pool, self._client(connection_pool=pool))
        return entry

    def _get_connection_pool(self, write):
        return self._shared(write)[0]

    def get_client(self, key=None, *, write=False):
        return self._shared(write)[1]


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolClient

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
