"""One client process of the fan-out benchmark (bench/fanout.py starts two).

Holds N subscribers to one stream on raw asyncio sockets: an HTTP/1.1 GET
with a Server-Sent Events line parser (`--kind sse`, the site), or a
WebSocket handshake with an RFC 6455 frame parser (`--kind ws`, the bare
reference). A protocol object per connection, no task per connection: at
10,000 subscribers aiohttp or httpx would cost more CPU than the server.

Commands on stdin, one JSON answer per line on stdout:
  open       open the connections (at most 200 handshakes in flight)
  status     connected / failed / closed so far, and events received
  reset      forget what each connection has received
  report     per connection: the time of its first event since the reset,
             its count; and the kinds of event seen
  close      close them all and exit
"""

import argparse
import asyncio
import base64
import json
import os
import resource
import sys
import time
from collections import Counter


def raise_nofile() -> int:
    """The open-files limit up to the hard limit (root: up to fs.nr_open)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 200_000
    if os.geteuid() == 0 and hard < want:
        try:  # needs CAP_SYS_RESOURCE, which a container may not give root
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, want))
        except (ValueError, OSError):
            pass
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Stats:
    def __init__(self):
        self.connected = 0
        self.failed = 0
        self.closed = 0
        self.errors: Counter = Counter()
        self.kinds: Counter = Counter()
        self.sizes: list[int] = []


class Subscriber(asyncio.Protocol):
    """What both kinds share: the counters, the handshake, the timings."""

    def __init__(self, stats: Stats, request: bytes):
        self.stats = stats
        self.request = request
        self.transport = None
        self.head = b""
        self.open = False
        self.ready = asyncio.get_running_loop().create_future()
        self.first = None
        self.last = None
        self.count = 0

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc):
        if self.open:
            self.stats.closed += 1
            self.open = False
        if not self.ready.done():
            self.ready.set_result(False)

    def data_received(self, data: bytes):
        if self.open:
            self.body(data)
            return
        self.head += data
        end = self.head.find(b"\r\n\r\n")
        if end < 0:
            return
        head, rest = self.head[:end], self.head[end + 4 :]
        self.head = b""
        status = head.split(b" ", 2)[1:2]
        if status != [self.expected]:
            self.stats.errors[status[0].decode() if status else "?"] += 1
            self.ready.set_result(False)
            self.transport.close()
            return
        self.headers(head.lower())
        self.open = True
        self.stats.connected += 1
        self.ready.set_result(True)
        if rest:
            self.body(rest)

    def event(self, kind: bytes, size: int):
        now = time.time()
        if self.first is None:
            self.first = now
            if len(self.stats.sizes) < 5:
                self.stats.sizes.append(size)
        self.last = now
        self.count += 1
        self.stats.kinds[kind] += 1


class SSE(Subscriber):
    expected = b"200"

    def headers(self, head: bytes):
        self.chunked = b"transfer-encoding: chunked" in head
        self.raw = b""
        self.need = -1  # bytes left in the current chunk; -1: a size line next
        self.sse = b""

    def body(self, data: bytes):
        if not self.chunked:
            self.feed(data)
            return
        raw = self.raw + data
        while raw:
            if self.need < 0:
                end = raw.find(b"\r\n")
                if end < 0:
                    break
                line, raw = raw[:end], raw[end + 2 :]
                if not line:  # the CRLF after a chunk's data
                    continue
                self.need = int(line.split(b";")[0], 16)
                if self.need == 0:
                    self.transport.close()
                    return
            else:
                take, raw = raw[: self.need], raw[self.need :]
                self.need -= len(take)
                self.feed(take)
                if self.need == 0:
                    self.need = -1
        self.raw = raw

    def feed(self, data: bytes):
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n")
        buf = self.sse + data
        start = 0
        while True:
            end = buf.find(b"\n\n", start)
            if end < 0:
                break
            block = buf[start:end]
            start = end + 2
            if b"data:" not in block:
                continue  # a comment (keep-alive) or a bare retry/id line
            kind = b"message"
            at = block.find(b"event:")
            if at >= 0:
                stop = block.find(b"\n", at)
                kind = block[at + 6 : stop if stop >= 0 else None].strip()
            else:  # the site's frames carry the kind in the JSON payload
                at = block.find(b'"kind":"')
                if at >= 0:
                    kind = block[at + 8 : block.find(b'"', at + 8)]
            self.event(kind, len(block))
        self.sse = buf[start:]


class WS(Subscriber):
    expected = b"101"

    def headers(self, head: bytes):
        self.buf = bytearray()

    def body(self, data: bytes):
        buf = self.buf
        buf += data
        while len(buf) >= 2:
            length = buf[1] & 0x7F
            at = 2
            if length == 126:
                if len(buf) < 4:
                    break
                length, at = int.from_bytes(buf[2:4], "big"), 4
            elif length == 127:
                if len(buf) < 10:
                    break
                length, at = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < at + length:
                break
            opcode = buf[0] & 0x0F
            if opcode in (1, 2):
                self.event(b"message", length)
            elif opcode == 9:  # ping: a masked pong with the same payload
                payload = bytes(buf[at : at + length])
                self.transport.write(bytes([0x8A, 0x80 | length]) + b"\0\0\0\0" + payload)
            elif opcode == 8:
                self.transport.close()
            del buf[: at + length]


def request(kind: str, host: str, port: int, path: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", f"Origin: http://{host}:{port}"]
    if kind == "sse":
        lines += ["Accept: text/event-stream", "Cache-Control: no-cache"]
    else:
        key = base64.b64encode(os.urandom(16)).decode()
        lines += [
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def open_all(args, stats: Stats, subs: list) -> None:
    loop = asyncio.get_running_loop()
    cls = SSE if args.kind == "sse" else WS
    gate = asyncio.Semaphore(200)

    async def one():
        async with gate:
            try:
                _, sub = await loop.create_connection(
                    lambda: cls(stats, request(args.kind, args.host, args.port, args.path)),
                    args.host,
                    args.port,
                )
            except OSError as exc:
                stats.failed += 1
                stats.errors[type(exc).__name__ + str(exc.errno or "")] += 1
                return
            subs.append(sub)
            try:
                ok = await asyncio.wait_for(sub.ready, 60)
            except TimeoutError:
                ok = False
                stats.errors["handshake timeout"] += 1
                sub.transport.close()
            if not ok:
                stats.failed += 1

    await asyncio.gather(*(one() for _ in range(args.count)))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=("sse", "ws"), required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    nofile = raise_nofile()
    stats = Stats()
    subs: list = []
    loop = asyncio.get_running_loop()
    opening = None

    def say(obj):
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()

    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).strip()
        if line == "open":
            opening = asyncio.create_task(open_all(args, stats, subs))
            say({"nofile": nofile})
        elif line == "status":
            say(
                {
                    "connected": stats.connected,
                    "failed": stats.failed,
                    "closed": stats.closed,
                    "done": bool(opening and opening.done()),
                    "events": sum(s.count for s in subs),
                    "errors": dict(stats.errors),
                }
            )
        elif line == "reset":
            for sub in subs:
                sub.first = sub.last = None
                sub.count = 0
            stats.kinds.clear()
            stats.sizes.clear()
            say({"ok": True})
        elif line == "report":
            say(
                {
                    "first": [s.first for s in subs if s.first is not None],
                    "last": max((s.last for s in subs if s.last is not None), default=None),
                    "counts": [s.count for s in subs if s.open or s.count],
                    "open": sum(1 for s in subs if s.open),
                    "kinds": {k.decode(): v for k, v in stats.kinds.items()},
                    "sizes": stats.sizes,
                }
            )
        elif line in ("close", ""):
            for sub in subs:
                if sub.transport:
                    sub.transport.close()
            say({"ok": True})
            return


if __name__ == "__main__":
    asyncio.run(main())
