"""Request bodies read in full by the server's event loop before a Django
thread takes the request.

a2wsgi (broadsheet/asgi.py) hands Django a body that each read pulls from the
event loop, so a reader posting a comment over a slow mobile link, or an
editor uploading a 20 MB photo, held one of the process's few Django threads
for as long as the bytes took to arrive. Read here first (in memory up to
SPOOL_MEMORY, then in a temporary file), the thread gets the whole body at
once and only ever waits for the CPU and the database; that is what lets a
process run with two threads (BROADSHEET_HTTP_THREADS), which renders pages
faster than four on two cores (less contention for the GIL;
docs/benchmarks.md, "Edge").

A request without a body (every page view) passes straight through. A body
larger than `max_bytes` is refused with 413 before anything reaches Django.
https://asgi.readthedocs.io/en/latest/specs/www.html#request-receive-event
"""

import tempfile

SPOOL_MEMORY = 1024 * 1024
CHUNK = 64 * 1024


def _declared_length(scope) -> int | None:
    """The Content-Length, 0 for none, None when the body is chunked."""
    length = 0
    for name, value in scope.get("headers", ()):
        if name == b"transfer-encoding":
            return None
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return None
    return length


async def _refuse(send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"private, no-store"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def request_body_buffered(app, *, max_bytes: int):
    too_large = f"The request is larger than {max_bytes} bytes."

    async def asgi(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        declared = _declared_length(scope)
        if declared == 0:
            return await app(scope, receive, send)
        if declared is not None and declared > max_bytes:
            return await _refuse(send, 413, too_large)
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
        try:
            size = 0
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return None
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > max_bytes:
                    return await _refuse(send, 413, too_large)
                body.write(chunk)
                if not message.get("more_body", False):
                    break
            body.seek(0)
            replayed = False

            async def replay():
                nonlocal replayed
                if replayed:
                    # After the body, only the client going away is left to hear.
                    return await receive()
                chunk = body.read(CHUNK)
                replayed = body.tell() >= size
                return {"type": "http.request", "body": chunk, "more_body": not replayed}

            return await app(scope, replay, send)
        finally:
            body.close()

    return asgi
