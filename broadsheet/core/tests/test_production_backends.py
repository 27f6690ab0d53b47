"""The production path: PostgreSQL and Redis. Run with DATABASE_URL / REDIS_URL set
(`make test` does so under CI, where a skip here counts as a failure)."""

import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from django.db import connection


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    return url


@pytest.mark.redis
def test_cache_is_shared_through_redis(redis_url):
    """Two cache clients (as two server processes would have) see each other's writes."""
    from django.core.cache.backends.redis import RedisCache

    prefix = f"test-{uuid.uuid4().hex}"
    one = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    two = RedisCache(redis_url, {"KEY_PREFIX": prefix})
    one.set("rendition:42", {"url": "/media/images/x.webp"}, timeout=30)
    assert two.get("rendition:42") == {"url": "/media/images/x.webp"}
    two.delete("rendition:42")
    assert one.get("rendition:42") is None
    one.clear()


@pytest.mark.redis
def test_settings_use_redis_when_redis_url_is_set(redis_url, monkeypatch):
    import importlib

    import broadsheet.settings.base as base

    monkeypatch.setenv("REDIS_URL", redis_url)
    try:
        reloaded = importlib.reload(base)
        assert reloaded.CACHES["default"]["BACKEND"].endswith("RedisCache")
        assert reloaded.CACHES["renditions"]["LOCATION"] == redis_url
        assert reloaded.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis")
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(base)


@pytest.mark.redis
def test_channel_layer_round_trip_through_redis(redis_url):
    from channels_redis.core import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[redis_url], prefix=f"test-{uuid.uuid4().hex}")

    async def round_trip():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "story.published", "id": 7})
        return await layer.receive(channel)

    assert async_to_sync(round_trip)() == {"type": "story.published", "id": 7}


@pytest.mark.postgres
@pytest.mark.django_db
def test_suite_runs_on_postgresql():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("DATABASE_URL does not name a PostgreSQL database")
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 14
