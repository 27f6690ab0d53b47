"""Redis stopped: pages keep being served; cache errors are misses, logged
once a minute, never a 500 (core/cache_backends.py)."""

import logging

import pytest
from django.core.cache import caches

from broadsheet.core import cache_backends
from broadsheet.edge.store import store_clear
from broadsheet.news.factories import ArticlePageFactory

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = {
        alias: {
            "BACKEND": "broadsheet.core.cache_backends.TolerantRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
        for alias in ("default", "renditions")
    }
    cache_backends._logged_at = 0.0
    yield
    for alias in ("default", "renditions"):
        caches[alias].close()


def test_every_operation_of_a_dead_redis_is_a_miss(dead_redis, caplog):
    cache = caches["default"]
    with caplog.at_level(logging.WARNING, logger="broadsheet.core.cache_backends"):
        assert cache.get("k", "fallback") == "fallback"
        cache.set("k", 1)
        assert cache.add("k", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.incr("counter") == 1
        cache.delete("k")
    assert len([r for r in caplog.records if "Redis cache unavailable" in r.message]) == 1


@pytest.mark.django_db
def test_pages_are_served_while_redis_is_down(dead_redis, client, world, settings):
    settings.BROADSHEET_RESPONSE_CACHE = "shared"
    store_clear()
    story = ArticlePageFactory(parent=world)
    for url in (story.url, "/", "/newsfeed/", "/mediabank/"):
        assert client.get(url).status_code == 200, url
    assert client.get(story.url).status_code == 200


@pytest.mark.redis
def test_a_live_redis_works_as_a_cache(settings):
    import os

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL not set")
    cache = cache_backends.TolerantRedisCache(url, {"KEY_PREFIX": f"bs-test-{os.getpid()}"})
    cache.set("k", "v", 30)
    assert cache.get("k") == "v"
    cache.set("n", 1, 30)
    assert cache.incr("n", 2) == 3
    cache.delete_many(["k", "n"])
    assert cache.get("k") is None


def test_every_request_context_shares_the_process_connection_pool(dead_redis):
    """Django keeps a cache backend per asynchronous context, and under the
    ASGI server each request is one: each used to open its own connection
    to Redis. Backends of different contexts now share one pool and client."""
    import contextvars

    backends = [contextvars.Context().run(lambda: caches["default"]) for _ in range(2)]
    assert backends[0] is not backends[1]
    clients = [backend._cache.get_client() for backend in backends]
    assert clients[0] is clients[1]
    other = cache_backends.TolerantRedisCache("redis://127.0.0.1:2/0", {})
    assert other._cache.get_client() is not clients[0], "another server, another pool"


@pytest.mark.redis
def test_a_live_redis_is_reached_over_one_reused_connection():
    import os

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL not set")
    pools = set()
    for _ in range(20):
        cache = cache_backends.TolerantRedisCache(url, {"KEY_PREFIX": f"bs-pool-{os.getpid()}"})
        cache.set("k", "v", 30)
        assert cache.get("k") == "v"
        pools.add(cache._cache._get_connection_pool(False))
    assert len(pools) == 1
    assert pools.pop()._created_connections == 1
    cache.delete("k")
