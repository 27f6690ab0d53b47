"""One hub per server process: a single tail of the event log, fanned out to
every open event stream of the process.

Chosen by measurement (docs/benchmarks.md, "Realtime transport candidates"):
one poller per process reading `id > last` costs one small indexed query per
interval whatever the number of readers, loses nothing, and delivers in order;
channel layers duplicated or lost messages. With REDIS_URL a Redis PUBLISH
from event_publish wakes the tail at once and a slow fallback poll covers a
lost wake-up; the database stays the source of truth either way.

The hub starts with its first subscriber (in the server's running event loop)
and stops when the last one leaves. Database work runs in the hub's own
threads (Django's ORM is synchronous): one for the tail and presence, a few
for the replays of reconnecting clients, so a reconnect storm never delays
live events.
"""

import asyncio
import atexit
import contextlib
import json
import logging
import os
import random
import socket
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections

from . import selectors, services

logger = logging.getLogger(__name__)

TAIL_BATCH = 500
DISPATCH_CHUNK = 50
PRESENCE_EVERY = 5.0
PRESENCE_TOUCH_EVERY = 15.0

# Process-wide, whatever hub uses them: each thread keeps one database connection.
_TAIL_THREAD = ThreadPoolExecutor(1, thread_name_prefix="realtime-tail")
_REPLAY_THREADS = ThreadPoolExecutor(2, thread_name_prefix="realtime-replay")

_process_key: tuple[int, str] | None = None


def process_key() -> str:
    """This server process's name in Presence rows. Made on first use, not at
    import: a server that forks its workers after importing the app would
    otherwise give them all one name."""
    global _process_key
    if _process_key is None or _process_key[0] != os.getpid():
        name = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        _process_key = (os.getpid(), name)
    return _process_key[1]


def sse_frame(event_id: int, stream: str, kind: str, data: dict) -> bytes:
    """The Server-Sent Events frame of one event, as every client receives it."""
    payload = json.dumps(
        {"stream": stream, "kind": kind, "id": event_id, "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    # json.dumps escapes newlines inside strings, so the payload is one line.
    return f"id: {event_id}\ndata: {payload}\n\n".encode()


def _db(function, *args, **kwargs):
    """Run ORM work in a hub thread: drop a connection that errored or aged
    out (CONN_MAX_AGE) first, as Django does around each request."""
    close_old_connections()
    return function(*args, **kwargs)


# Control items in a subscription's queue (stream None): a frame to send as
# it is, or END (an empty frame) to finish the response cleanly.
KEEP_ALIVE = (0, None, b": keep-alive\n\n")
END = (0, None, b"")
# How often the hub sends keep-alives and ends streams past their lifetime.
SWEEP_EVERY = 0.5


class Subscription:
    """One open event stream: the streams it follows and its bounded buffer."""

    __slots__ = ("streams", "queue", "task", "dropped", "deadline")

    def __init__(self, streams, size: int, task: asyncio.Task | None):
        self.streams = tuple(streams)
        # The stream is closed cleanly after its lifetime (±10 %, so that
        # streams opened together do not all reconnect together).
        lifetime = settings.REALTIME_MAX_LIFETIME * random.uniform(0.9, 1.1)
        self.deadline = time.monotonic() + lifetime
        # Items are (event id, stream, frame); the frame's bytes are shared by
        # every subscriber of the stream. Heartbeat and lifetime come through
        # here too, from one timer per process (Hub._sweep): a per-connection
        # timeout around every get() cost a quarter of the fan-out's CPU
        # (bench/NOTES.md, "Live fan-out").
        self.queue: asyncio.Queue[tuple[int, str, bytes]] = asyncio.Queue(size)
        self.task = task
        self.dropped = False


class Hub:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.by_stream: dict[str, set[Subscription]] = {}
        self.subscriptions: set[Subscription] = set()
        self.next_sweep = 0.0
        self.next_heartbeat = 0.0
        self.last_id = 0
        self.ready: asyncio.Future | None = None
        self.tail_task: asyncio.Task | None = None
        self.redis_task: asyncio.Task | None = None
        self.redis_live = False
        self.wake = asyncio.Event()
        self.presence_written: dict[str, int] = {}
        self.presence_at = 0.0
        self.presence_touched_at = 0.0

    # Subscriptions -------------------------------------------------------

    async def subscribe(self, streams, *, task: asyncio.Task | None = None) -> Subscription:
        """Register first, then let the caller replay from the database: an
        event committed in between is then both buffered and replayed, and the
        caller skips ids it replayed (exactly once, in order)."""
        subscription = Subscription(streams, settings.REALTIME_QUEUE_SIZE, task)
        for stream in subscription.streams:
            self.by_stream.setdefault(stream, set()).add(subscription)
        self.subscriptions.add(subscription)
        if self.tail_task is None:
            self.ready = self.loop.create_future()
            self.tail_task = self.loop.create_task(self._tail())
        try:
            # The tail's starting point is read before the caller's replay, so
            # the replay covers everything up to where the tail begins.
            await asyncio.shield(self.ready)
        except BaseException:
            self.unsubscribe(subscription)
            raise
        return subscription

    @property
    def count(self) -> int:
        return len(self.subscriptions)

    def unsubscribe(self, subscription: Subscription) -> None:
        self.subscriptions.discard(subscription)
        for stream in subscription.streams:
            members = self.by_stream.get(stream)
            if members is not None:
                members.discard(subscription)
                if not members:
                    del self.by_stream[stream]

    def _drop(self, subscription: Subscription) -> None:
        """A subscriber that cannot keep up is disconnected; it comes back
        with its last id and catches up from the log."""
        self.unsubscribe(subscription)
        subscription.dropped = True
        if subscription.task is not None:
            subscription.task.cancel()

    def readers(self) -> dict[str, int]:
        return {stream: len(members) for stream, members in self.by_stream.items()}

    async def run_db(self, function, *args, **kwargs):
        """Replays and other per-connection reads (not on the tail's thread)."""
        return await self.loop.run_in_executor(
            _REPLAY_THREADS, lambda: _db(function, *args, **kwargs)
        )

    # The tail ------------------------------------------------------------

    async def _tail_db(self, function, *args, **kwargs):
        return await self.loop.run_in_executor(_TAIL_THREAD, lambda: _db(function, *args, **kwargs))

    async def _tail(self):
        try:
            self.last_id = await self._tail_db(selectors.event_last_id)
        except Exception as error:  # noqa: BLE001 — handed to the subscribers
            self.tail_task = None  # the next subscriber tries again
            self.ready.set_exception(error)
            self.ready.exception()  # retrieved: no "never retrieved" warning
            return
        self.ready.set_result(None)
        if settings.REDIS_URL:
            self.redis_task = self.loop.create_task(self._listen_redis())
        try:
            while self.count:
                await self._poll()
                self._sweep()
                await self._presence()
                await self._sleep()
        finally:
            # No await before this point once the loop ends: a subscriber
            # arriving from now on starts a new tail instead of joining this one.
            if self.tail_task is asyncio.current_task():
                self.tail_task = None
            redis_task, self.redis_task = self.redis_task, None
            if redis_task is not None:
                redis_task.cancel()
                self.redis_live = False
            written, self.presence_written = self.presence_written, {}
            self.presence_at = self.presence_touched_at = 0.0
            if written:
                try:
                    await self._tail_db(services.presence_clear, process=process_key())
                except Exception:  # noqa: BLE001
                    logger.warning("realtime: presence rows not cleared", exc_info=True)
            if redis_task is not None:
                await asyncio.wait({redis_task}, timeout=3)

    async def _sleep(self):
        interval = settings.REALTIME_POLL_INTERVAL
        if self.redis_live:
            interval = settings.REALTIME_FALLBACK_POLL
        interval = max(0.0, min(interval, self.next_sweep - time.monotonic()))
        self.wake.clear()
        try:
            async with asyncio.timeout(interval):
                await self.wake.wait()
        except TimeoutError:
            pass

    async def _poll(self):
        while True:
            try:
                rows = await self._tail_db(
                    selectors.events_after, last=self.last_id, limit=TAIL_BATCH
                )
            except Exception:  # noqa: BLE001 — a database hiccup must not end the tail
                logger.warning("realtime: reading the event log failed", exc_info=True)
                await asyncio.sleep(1)
                return
            for number, (event_id, stream, kind, data) in enumerate(rows, 1):
                self._dispatch(event_id, stream, sse_frame(event_id, stream, kind, data))
                self.last_id = event_id
                if number % DISPATCH_CHUNK == 0:
                    # Let the streams write out what they have before a burst
                    # fills their buffers.
                    await asyncio.sleep(0)
            if len(rows) < TAIL_BATCH:
                return

    def _dispatch(self, event_id: int, stream: str, frame: bytes) -> None:
        members = self.by_stream.get(stream)
        if not members:
            return
        item = (event_id, stream, frame)
        for subscription in list(members):
            try:
                subscription.queue.put_nowait(item)
            except asyncio.QueueFull:
                self._drop(subscription)

    def _sweep(self) -> None:
        """Every SWEEP_EVERY: end the streams past their lifetime; every
        REALTIME_HEARTBEAT: a keep-alive comment to every stream (proxies
        close connections that stay silent)."""
        now = time.monotonic()
        if now < self.next_sweep:
            return
        heartbeat = settings.REALTIME_HEARTBEAT
        self.next_sweep = now + min(SWEEP_EVERY, heartbeat)
        beat = now >= self.next_heartbeat
        if beat:
            self.next_heartbeat = now + heartbeat
        for subscription in list(self.subscriptions):
            if now >= subscription.deadline:
                self.unsubscribe(subscription)
                try:
                    subscription.queue.put_nowait(END)
                except asyncio.QueueFull:
                    self._drop(subscription)
            elif beat:
                # A full queue has data for the client already.
                with contextlib.suppress(asyncio.QueueFull):
                    subscription.queue.put_nowait(KEEP_ALIVE)

    async def _listen_redis(self):
        """Wake the tail on each PUBLISH from event_publish; on a Redis error
        fall back to polling and try again a little later."""
        import redis.asyncio as aioredis

        channel = f"{settings.REALTIME_REDIS_PREFIX}:events"
        delay = 1.0
        task = asyncio.current_task()
        while True:
            # redis-py may also swallow a cancellation whole: a stopped
            # listener that went on reconnecting would keep its event loop
            # (and a server's shutdown, or asyncio.run) waiting forever.
            if task.cancelling():
                raise asyncio.CancelledError
            client = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(channel)
                    delay = 1.0
                    self.redis_live = True
                    self.wake.set()  # anything published while we were away
                    # Not `pubsub.listen()`: it can swallow the task's
                    # cancellation and wait on the socket for good (seen in
                    # the tests: asyncio.run's shutdown hung). A bounded wait
                    # looks at the cancellation at least once a second.
                    while not task.cancelling():
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=1.0
                        )
                        if message is not None and message.get("type") == "message":
                            self.wake.set()
                    raise asyncio.CancelledError
            except Exception:  # noqa: BLE001
                # redis-py may turn a cancellation into a connection error:
                # being stopped is not a reason to reconnect.
                if task.cancelling():
                    raise asyncio.CancelledError from None
                logger.warning("realtime: Redis wake-ups unavailable, polling", exc_info=True)
            finally:
                self.redis_live = False
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(2):
                        await client.aclose()
            if task.cancelling():
                raise asyncio.CancelledError
            # While Redis is away the tail polls at REALTIME_POLL_INTERVAL.
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)

    # Presence ------------------------------------------------------------

    async def _presence(self):
        now = time.monotonic()
        if now - self.presence_at < PRESENCE_EVERY:
            return
        self.presence_at = now
        counts = self.readers()
        changed = {
            stream: count
            for stream, count in counts.items()
            if self.presence_written.get(stream) != count
        }
        changed.update({stream: 0 for stream in self.presence_written if stream not in counts})
        touch = now - self.presence_touched_at >= PRESENCE_TOUCH_EVERY
        if not changed and not touch:
            return
        try:
            await self._tail_db(
                services.presence_write, process=process_key(), counts=changed, touch=touch
            )
        except Exception:  # noqa: BLE001 — presence is advisory
            logger.warning("realtime: presence not written", exc_info=True)
            return
        if touch:
            self.presence_touched_at = now
        self.presence_written = counts


_hub: Hub | None = None


def hub_get() -> Hub:
    """This process's hub, bound to the running event loop (a new loop, as in
    tests, gets a new hub)."""
    global _hub
    loop = asyncio.get_running_loop()
    if _hub is None or _hub.loop is not loop:
        _hub = Hub(loop)
    return _hub


@atexit.register
def _presence_clear_at_exit():
    # Best effort: a process that dies without this is forgotten after 30 s.
    if _hub is not None and _hub.presence_written:
        try:
            services.presence_clear(process=process_key())
        except Exception:  # noqa: BLE001, S110 — the database may be gone at exit
            pass
