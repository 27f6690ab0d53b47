import asyncio
import os
import sys
import threading
import traceback

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

        # A thread of its own: Playwright's sync API (browser tests in the
        # same worker) keeps a loop running in the main thread, and a loop
        # that cannot finish (a task that ignores its cancellation, past the
        # timeout above) fails the test instead of hanging the run.
        outcome = {}

        def loop_thread():
            try:
                with asyncio.Runner() as runner:
                    outcome["loop"] = runner.get_loop()
                    outcome["result"] = runner.run(bounded())
            except BaseException as error:  # noqa: BLE001 — re-raised in the test
                outcome["error"] = error

        # A daemon thread: one stuck for good cannot hold up the worker's exit.
        thread = threading.Thread(target=loop_thread, name="realtime-test-loop", daemon=True)
        try:
            thread.start()
            thread.join(timeout + 30)
            if thread.is_alive():
                stack = "".join(traceback.format_stack(sys._current_frames()[thread.ident]))
                for task in asyncio.all_tasks(outcome["loop"]):
                    stack += f"\n{task!r}\n" + "".join(
                        "".join(traceback.format_stack(frame, 3)) for frame in task.get_stack()
                    )
                pytest.fail(f"the event loop did not finish within {timeout + 30} s:\n{stack}")
            if "error" in outcome:
                raise outcome["error"]
            return outcome["result"]
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
