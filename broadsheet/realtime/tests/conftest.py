import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections

from .sse import DB_THREAD


@pytest.fixture
def realtime_settings(settings):
    """Fast polling and small limits; tests change what they exercise."""
    settings.REALTIME_POLL_INTERVAL = 0.02
    settings.REALTIME_HEARTBEAT = 20.0
    settings.REALTIME_MAX_LIFETIME = 600
    settings.REALTIME_REPLAY_MAX = 200
    settings.REALTIME_QUEUE_SIZE = 256
    settings.REALTIME_MAX_PER_IP = 50
    settings.REALTIME_MAX_CONNECTIONS = 20000
    return settings


@pytest.fixture
def run(monkeypatch):
    """Run a test's coroutine in a fresh event loop (a fresh hub with it),
    the hub's database work on the tests' database thread (sse.DB_THREAD)."""
    from broadsheet.realtime import hub

    monkeypatch.setattr(hub, "_TAIL_THREAD", DB_THREAD)
    monkeypatch.setattr(hub, "_REPLAY_THREADS", DB_THREAD)

    def runner(coroutine, timeout: float = 30):
        async def bounded():
            async with asyncio.timeout(timeout):
                return await coroutine

        try:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return asyncio.run(bounded())
            # Playwright's sync API (browser tests in the same worker) keeps
            # a loop running in this thread: use a thread of its own.
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(asyncio.run, bounded()).result()
        finally:
            # A query the loop stopped waiting for ends before the test's
            # database teardown starts, and the thread lets go of the
            # database (PostgreSQL cannot drop a test database in use).
            DB_THREAD.submit(connections.close_all).result(timeout=10)

    return runner


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    return url
