"""Test helpers: an event-stream client for the ASGI app (Channels' testing
communicator) and a parser for Server-Sent Events frames."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from asgiref.testing import ApplicationCommunicator

from broadsheet.realtime.services import event_publish


def parse_frames(buffer: bytes) -> tuple[list[dict], bytes]:
    """Complete frames in `buffer` as dicts (id, event, data, comment, retry),
    and what is left after the last complete one."""
    frames = []
    *blocks, rest = buffer.split(b"\n\n")
    for block in blocks:
        frame = {}
        for line in block.decode().split("\n"):
            if line.startswith(":"):
                frame["comment"] = line[1:].strip()
                continue
            field, _, value = line.partition(":")
            frame[field] = value[1:] if value.startswith(" ") else value
        if "data" in frame and "event" not in frame:
            frame["message"] = json.loads(frame["data"])
        frames.append(frame)
    return frames, rest


class Client:
    """One GET /realtime/events against broadsheet.asgi.application."""

    def __init__(self, query: str, *, headers=(), ip="10.0.0.1", method="GET"):
        from broadsheet.asgi import application

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": "/realtime/events",
            "raw_path": b"/realtime/events",
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8000"), *headers],
            "client": (ip, 40000),
            "server": ("127.0.0.1", 8000),
        }
        self.communicator = ApplicationCommunicator(application, scope)
        self.buffer = b""
        self.ended = False
        self.status = None
        self.headers = {}
        self.body = b""

    async def start(self) -> int:
        await self.communicator.send_input({"type": "http.request", "body": b""})
        start = await self.communicator.receive_output(5)
        assert start["type"] == "http.response.start"
        self.status = start["status"]
        self.headers = {k.decode(): v.decode() for k, v in start["headers"]}
        if self.status != 200:
            message = await self.communicator.receive_output(5)
            self.body = message.get("body", b"")
        return self.status

    async def _read(self, timeout: float) -> None:
        # Not receive_output(): its timeout cancels the application.
        communicator = self.communicator
        if communicator.future.done() and communicator.output_queue.empty():
            communicator.future.result()  # the app's exception, if any
            raise AssertionError("the application ended without ending its response")
        async with asyncio.timeout(timeout):
            message = await communicator.output_queue.get()
        assert message["type"] == "http.response.body"
        self.buffer += message.get("body", b"")
        if not message.get("more_body", False):
            self.ended = True

    async def frames(self, count: int, *, timeout: float = 5.0, kinds=("message", "event")):
        """The next `count` event frames (messages and reloads; retry lines
        and keep-alives are skipped)."""
        got = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            frames, self.buffer = parse_frames(self.buffer)
            got.extend(f for f in frames if any(k in f for k in kinds))
            if len(got) >= count:
                # Frames beyond `count` stay for the next call.
                extra = got[count:]
                assert not extra, f"more frames than expected: {extra}"
                return got
            if self.ended:
                raise AssertionError(f"stream ended after {got}")
            await self._read(max(0.01, deadline - loop.time()))

    async def nothing(self, wait: float = 0.3) -> None:
        """No event frame arrives within `wait` seconds."""
        try:
            while True:
                frames, self.buffer = parse_frames(self.buffer)
                events = [f for f in frames if "message" in f or "event" in f]
                assert not events, f"unexpected frames: {events}"
                await self._read(wait)
        except TimeoutError:
            return

    async def close(self) -> None:
        if not self.ended:
            await self.communicator.send_input({"type": "http.disconnect"})
        await self.communicator.wait(3)


# The test database is SQLite in memory with a shared cache, whose table locks
# fail at once instead of waiting as a database file does (busy timeout): the
# hub's database work and the tests' own run on this one thread, one at a time
# (conftest). Concurrency on a real database: test_cross_process.py.
DB_THREAD = ThreadPoolExecutor(1, thread_name_prefix="realtime-test-db")


async def in_db_thread(function, *args, **kwargs):
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(DB_THREAD, partial(function, *args, **kwargs))


async def publish(stream: str, kind: str = "test", **data) -> int:
    event = await in_db_thread(event_publish, stream=stream, kind=kind, data=data)
    return event.id


def ids(frames) -> list[int]:
    return [int(frame["id"]) for frame in frames]
