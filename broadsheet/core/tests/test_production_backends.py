"""The production path: PostgreSQL and Redis. Run with DATABASE_URL / REDIS_URL set
(`make test` does so under CI, where a skip here counts as a failure)."""

import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from broadsheet.core.cache import content_version, content_version_bump


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    return url


@pytest.mark.redis
def test_content_version_is_shared_through_redis(redis_url):
    prefix = f"test-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        first = content_version()
        content_version_bump()
        assert content_version() == first + 1
        assert cache.get("broadsheet:content-version") == first + 1
        cache.clear()


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
