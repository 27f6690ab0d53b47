"""Request bodies are read whole by the event loop before the app (and so a
Django thread) sees the request (core/request_body.py)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from broadsheet.core.request_body import CHUNK, request_body_buffered


def _arun(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright
    leaves an event loop running in the main thread of a test worker."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Recorder:
    """An inner ASGI app that reads the whole body the way a2wsgi does."""

    def __init__(self):
        self.called_at = None
        self.body = b""

    async def __call__(self, scope, receive, send):
        self.called_at = asyncio.get_running_loop().time()
        while True:
            message = await receive()
            self.body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _scope(headers):
    return {"type": "http", "method": "POST", "path": "/", "headers": headers}


def _run(app, scope, messages, *, delay=0.0):
    """(answers sent, time the last body part arrived) for `messages` sent
    `delay` seconds apart."""
    sent = []
    arrived = {}

    async def main():
        queue = list(messages)

        async def receive():
            if not queue:
                await asyncio.sleep(3600)
            await asyncio.sleep(delay)
            arrived["last"] = asyncio.get_running_loop().time()
            return queue.pop(0)

        async def send(message):
            sent.append(message)

        await app(scope, receive, send)

    _arun(main())
    return sent, arrived.get("last")


def test_a_slow_body_is_read_whole_before_the_app_starts():
    inner = Recorder()
    parts = [b"a" * 1000, b"b" * 200_000, b"c" * 10]
    messages = [
        {"type": "http.request", "body": part, "more_body": n < len(parts) - 1}
        for n, part in enumerate(parts)
    ]
    sent, last = _run(
        request_body_buffered(inner, max_bytes=10**6),
        _scope([(b"transfer-encoding", b"chunked")]),
        messages,
        delay=0.02,
    )
    assert inner.called_at >= last, "the app started only once every byte was in"
    assert inner.body == b"".join(parts)
    assert sent[0]["status"] == 200
    assert len(inner.body) > CHUNK, "replayed in several parts"


def test_a_body_over_the_limit_is_refused_before_the_app():
    inner = Recorder()
    sent, _last = _run(
        request_body_buffered(inner, max_bytes=100),
        _scope([(b"content-length", b"1000")]),
        [{"type": "http.request", "body": b"x" * 1000}],
    )
    assert sent[0]["status"] == 413 and inner.called_at is None
    assert b"larger than 100 bytes" in sent[1]["body"]


def test_a_chunked_body_growing_over_the_limit_is_refused():
    inner = Recorder()
    sent, _last = _run(
        request_body_buffered(inner, max_bytes=100),
        _scope([(b"transfer-encoding", b"chunked")]),
        [
            {"type": "http.request", "body": b"x" * 60, "more_body": True},
            {"type": "http.request", "body": b"x" * 60, "more_body": False},
        ],
    )
    assert sent[0]["status"] == 413 and inner.called_at is None


def test_a_client_gone_mid_body_never_reaches_the_app():
    inner = Recorder()
    sent, _last = _run(
        request_body_buffered(inner, max_bytes=10**6),
        _scope([(b"content-length", b"500")]),
        [
            {"type": "http.request", "body": b"x" * 100, "more_body": True},
            {"type": "http.disconnect"},
        ],
    )
    assert sent == [] and inner.called_at is None


def test_a_request_without_a_body_passes_straight_through():
    seen = {}

    async def inner(scope, receive, send):
        seen["receive"] = receive

    async def receive():
        return {"type": "http.request", "body": b""}

    _arun(request_body_buffered(inner, max_bytes=10)({**_scope([])}, receive, None))
    assert seen["receive"] is receive
