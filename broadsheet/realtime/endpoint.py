"""GET /realtime/events — the Server-Sent Events stream (a plain ASGI app,
mounted in broadsheet/asgi.py beside the Django app).

    ?stream=newsfeed&stream=live-12   up to 8 streams
    Last-Event-ID header or ?last=N   resume after event N (reconnects)
    ?since=<unix ms>                  events created after the page was rendered
    (none of them)                    live from now

Replay order: subscribe first (events start buffering), then read the missed
events from the log, then send the buffer minus what the replay already sent:
in order, nothing twice, nothing lost. A client too far behind (more than
REALTIME_REPLAY_MAX missed, or its id pruned from the log) gets
`event: reload` for the stream and continues live.
"""

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.utils import timezone

from . import selectors
from .hub import Hub, hub_get, sse_frame
from .streams import stream_is_valid

logger = logging.getLogger(__name__)

MAX_STREAMS = 8
MAX_QUERY = 2048
MAX_ID_DIGITS = 18
RETRY_MS = 3000
# A page's `since` is the moment its HTML was rendered; an event written by a
# transaction that was still open then has an earlier created_at but was not
# in the HTML. Replaying a few seconds more costs nothing (clients ignore
# repeats), missing one would.
SINCE_MARGIN = timedelta(seconds=5)
SEND_TIMEOUT = 1.0

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),
]

_per_ip: dict[str, int] = {}
_open = 0


class Refused(Exception):
    def __init__(self, status: int, reason: str, retry_after: int | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


def open_connections() -> int:
    return _open


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def _origin_allowed(origin: str) -> bool:
    if origin.rstrip("/") == settings.SITE_URL:
        return True
    try:
        host = urlsplit(origin).hostname
    except ValueError:
        return False
    if not host:
        return False
    host = f"[{host}]" if ":" in host else host
    return validate_host(host, settings.ALLOWED_HOSTS)


def _parse(scope) -> tuple[list[str], int | None, datetime | None]:
    """(streams, last id, since) from the request, or Refused."""
    query = scope.get("query_string", b"")
    if len(query) > MAX_QUERY:
        raise Refused(400, "query string too long")
    try:
        pairs = parse_qsl(query.decode("ascii"), keep_blank_values=True, strict_parsing=bool(query))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "malformed query string") from None
    streams: list[str] = []
    last = since = None
    for key, value in pairs:
        if key == "stream":
            if not stream_is_valid(value):
                raise Refused(400, "invalid stream name")
            if value not in streams:
                streams.append(value)
        elif key == "last":
            last = _number(value, "last")
        elif key == "since":
            try:
                since = datetime.fromtimestamp(_number(value, "since") / 1000, tz=UTC)
            except (OverflowError, OSError, ValueError):
                raise Refused(400, "invalid since") from None
        else:
            raise Refused(400, f"unknown parameter: {key[:40]}")
    if not streams:
        raise Refused(400, "no stream given")
    if len(streams) > MAX_STREAMS:
        raise Refused(400, f"at most {MAX_STREAMS} streams")
    header = _header(scope, b"last-event-id")
    if header:
        # The browser's own reconnect repeats the query it opened with: the
        # header is newer than a `last` in it.
        last = _number(header.strip(), "Last-Event-ID")
    return streams, last, since


def _number(value: str, name: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > MAX_ID_DIGITS:
        raise Refused(400, f"invalid {name}")
    return int(value)


async def _refuse(send, refused: Refused):
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"cache-control", b"no-store")]
    if refused.retry_after is not None:
        headers.append((b"retry-after", str(refused.retry_after).encode()))
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": refused.reason.encode() + b"\n"})


async def events_app(scope, receive, send):
    """The ASGI application of /realtime/events."""
    global _open
    if scope["type"] != "http":
        return
    if scope["method"] not in ("GET", "HEAD"):
        refused = Refused(405, "GET only")
        await send(
            {
                "type": "http.response.start",
                "status": 405,
                "headers": [(b"allow", b"GET"), (b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": refused.reason.encode()})
        return
    client = scope.get("client") or ("unknown", 0)
    ip = client[0] or "unknown"
    try:
        origin = _header(scope, b"origin")
        if origin is not None and not _origin_allowed(origin):
            raise Refused(403, "cross-site event streams are not served")
        streams, last, since = _parse(scope)
        if _open >= settings.REALTIME_MAX_CONNECTIONS:
            raise Refused(503, "server busy: too many event streams", retry_after=30)
        if _per_ip.get(ip, 0) >= settings.REALTIME_MAX_PER_IP:
            raise Refused(429, "too many event streams from this address", retry_after=30)
    except Refused as refused:
        await _refuse(send, refused)
        return
    if scope["method"] == "HEAD":
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": b""})
        return

    _open += 1
    _per_ip[ip] = _per_ip.get(ip, 0) + 1
    try:
        await _serve(scope, receive, send, streams, last, since)
    finally:
        _open -= 1
        left = _per_ip.get(ip, 1) - 1
        if left > 0:
            _per_ip[ip] = left
        else:
            _per_ip.pop(ip, None)


async def _serve(scope, receive, send, streams, last, since):
    """Run the stream until the client leaves, the lifetime ends, or the hub
    drops it for falling behind; whichever comes first ends the other."""
    stream_task = asyncio.create_task(_stream(send, streams, last, since))
    watch_task = asyncio.create_task(_until_disconnect(receive))
    try:
        done, _ = await asyncio.wait({stream_task, watch_task}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (stream_task, watch_task):
            task.cancel()
        await asyncio.gather(stream_task, watch_task, return_exceptions=True)
    if stream_task in done and not stream_task.cancelled() and stream_task.exception():
        error = stream_task.exception()
        if not isinstance(error, OSError):
            logger.error("realtime: event stream failed", exc_info=error)
    if watch_task not in done:
        # Closed by us (lifetime, dropped, error): end the response if the
        # client still reads; a stuck one is simply cut off.
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        except Exception:  # noqa: BLE001, S110 — servers differ in what a closed peer raises
            pass


async def _body(send, body: bytes):
    await send({"type": "http.response.body", "body": body, "more_body": True})


async def _until_disconnect(receive):
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return


async def _stream(send, streams, last, since):
    hub = hub_get()
    try:
        subscription = await hub.subscribe(streams, task=asyncio.current_task())
    except Exception:  # noqa: BLE001 — the database is unreachable
        logger.warning("realtime: cannot start the event log tail", exc_info=True)
        await _refuse(send, Refused(503, "event log unavailable", retry_after=10))
        return
    try:
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send(
            {
                "type": "http.response.body",
                "body": f"retry: {RETRY_MS}\n\n".encode(),
                "more_body": True,
            }
        )
        sent_up_to = await _replay(send, hub, streams, last, since)
        await _live(send, subscription, sent_up_to)
    finally:
        hub.unsubscribe(subscription)


async def _replay(send, hub: Hub, streams, last, since) -> dict[str, int]:
    """Send what the client missed. Returns, per stream, the id up to which
    buffered live events were already sent by the replay.

    Each stream's replay is its own query. Ids commit in order, so a stream's
    replay holds every event of it up to its newest row, and its later events
    are in the buffer (they committed after the subscription): skipping
    buffered ids up to that row, per stream, sends each event exactly once."""
    # Read before any query: every event up to here committed before them.
    tail_at = hub.last_id
    if last is None and since is not None:
        if since < timezone.now() - timedelta(days=settings.REALTIME_RETENTION_DAYS):
            return await _reload(send, streams, tail_at)
        last = await hub.run_db(selectors.event_id_before, moment=since - SINCE_MARGIN)
        if last is None:
            low, _ = await hub.run_db(selectors.event_log_bounds)
            last = (low or 1) - 1
    if last is None:
        return {}
    low, high = await hub.run_db(selectors.event_log_bounds)
    if last > max(high or 0, tail_at) or (low is not None and last < low - 1):
        # From another database (reset), or pruned since: what the client
        # missed is unknown. (A rolled-back id just before the oldest event
        # kept also lands here: one needless reload, after which the client
        # holds a current id.)
        return await _reload(send, streams, tail_at)
    limit = settings.REALTIME_REPLAY_MAX
    rows = []
    reload = []
    sent_up_to = {}
    for stream in streams:
        missed = await hub.run_db(
            selectors.stream_events_after, stream=stream, last=last, limit=limit + 1
        )
        if len(missed) > limit:
            # Too many to replay: the client reloads this stream's list, and
            # still gets its buffered events (repeats are ignored by clients).
            reload.append(stream)
            sent_up_to[stream] = last
        else:
            rows.extend(missed)
            sent_up_to[stream] = missed[-1][0] if missed else last
    rows.sort()
    chunks = [_reload_frame(stream, max(tail_at, last)) for stream in reload]
    chunks += [sse_frame(*row) for row in rows]
    if chunks:
        await _body(send, b"".join(chunks))
    return sent_up_to


def _reload_frame(stream: str, event_id: int) -> bytes:
    # The id moves the client's resume point to now: it reloads what it shows.
    return f"id: {event_id}\nevent: reload\ndata: {stream}\n\n".encode()


async def _reload(send, streams, tail_at: int) -> dict[str, int]:
    body = b"".join(_reload_frame(stream, tail_at) for stream in streams)
    await _body(send, body)
    return {}


async def _live(send, subscription, sent_up_to: dict[str, int]):
    """Send what the hub queues until it says END (lifetime over) or drops
    the subscription; everything queued goes out in one write."""
    queue = subscription.queue
    while True:
        item = await queue.get()
        chunks = []
        while True:
            event_id, stream, frame = item
            if stream is None:  # the hub's keep-alive, or END
                if not frame:
                    if chunks:
                        await _body(send, b"".join(chunks))
                    return
                chunks.append(frame)
            elif event_id > sent_up_to.get(stream, 0):
                chunks.append(frame)
            if queue.empty():
                break
            item = queue.get_nowait()
        if chunks:
            await _body(send, b"".join(chunks))
