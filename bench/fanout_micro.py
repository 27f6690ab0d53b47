"""The Python cost of one event's fan-out inside one server process, without
the network: the realtime hub's dispatch and the endpoint's per-connection
loop (broadsheet/realtime/hub.py, endpoint.py `_live`), against an ASGI
`send` that returns at once. CPU µs per subscriber, N subscribers, median of
R events; variants of `_live` show what each part costs.

    .venv/bin/python bench/fanout_micro.py [N] [R]
"""

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from broadsheet.realtime import endpoint  # noqa: E402
from broadsheet.realtime.hub import Hub, Subscription, sse_frame  # noqa: E402


async def live_no_timeout(send, subscription, sent_up_to):
    """`_live` without the per-event asyncio.timeout (heartbeat and lifetime
    would come from one timer per process instead)."""
    queue = subscription.queue
    while True:
        event_id, stream, frame = await queue.get()
        chunks = [frame] if event_id > sent_up_to.get(stream, 0) else []
        while not queue.empty():
            event_id, stream, frame = queue.get_nowait()
            if event_id > sent_up_to.get(stream, 0):
                chunks.append(frame)
        if chunks:
            await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})


async def measure(live, n: int, rounds: int) -> dict:
    loop = asyncio.get_running_loop()
    hub = Hub(loop)
    done = 0
    all_sent = None

    async def send(message):
        nonlocal done
        done += 1
        if done == n:
            all_sent.set_result(None)

    subs = []
    for _ in range(n):
        sub = Subscription(["live-1"], settings.REALTIME_QUEUE_SIZE, None)
        hub.by_stream.setdefault("live-1", set()).add(sub)
        sub.task = loop.create_task(live(send, sub, {}))
        subs.append(sub)
    await asyncio.sleep(0.1)
    data = {"id": 1, "html": "<article>" + "x" * 600 + "</article>", "pinned": False}
    cpu, wall = [], []
    for number in range(1, rounds + 1):
        done = 0
        all_sent = loop.create_future()
        c0, w0 = time.process_time(), time.perf_counter()
        hub._dispatch(number, "live-1", sse_frame(number, "live-1", "post.published", data))
        await all_sent
        cpu.append((time.process_time() - c0) * 1e6 / n)
        wall.append((time.perf_counter() - w0) * 1000)
    for sub in subs:
        sub.task.cancel()
    await asyncio.gather(*(s.task for s in subs), return_exceptions=True)
    return {"cpu_us_per_sub": statistics.median(cpu), "wall_ms": statistics.median(wall)}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    for name, live in (("endpoint._live", endpoint._live), ("no timeout", live_no_timeout)):
        result = asyncio.run(measure(live, n, rounds))
        print(
            f"{name:16} N={n}: {result['cpu_us_per_sub']:.1f} µs CPU per subscriber, "
            f"{result['wall_ms']:.0f} ms for all"
        )


if __name__ == "__main__":
    main()
