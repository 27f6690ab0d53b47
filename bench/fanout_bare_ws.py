"""The physical reference of the fan-out benchmark: a bare `websockets`
broadcast server, nothing of Django (bench/fanout.py, bench/requirements.txt).

`--workers` processes share one port (SO_REUSEPORT), as granian's workers do.
Each keeps the set of its connections and connects back to the benchmark's
control port; a line `B <text>` there is broadcast to every connection of
that process with `websockets.broadcast` (one frame encoded once, written to
each transport; no backpressure), and `count` is answered with the number of
open connections. The cross-process hop of the site (a publish in another
process) is this control line.
"""

import argparse
import asyncio
import multiprocessing
import os
import resource
import signal

from websockets.asyncio.server import broadcast, serve


async def worker(host: str, port: int, control: int) -> None:
    clients: set = set()

    async def handler(connection):
        clients.add(connection)
        try:
            await connection.wait_closed()
        finally:
            clients.discard(connection)

    # ping_interval=None: no keep-alive pings during a 10 s benchmark (the
    # client answers them anyway); compression off as the site's SSE has none.
    async with serve(
        handler,
        host,
        port,
        reuse_port=True,
        ping_interval=None,
        compression=None,
        backlog=4096,
        max_queue=16,
    ):
        reader, writer = await asyncio.open_connection(host, control)
        writer.write(f"hello {os.getpid()}\n".encode())
        await writer.drain()
        while line := await reader.readline():
            if line.startswith(b"B "):
                broadcast(clients, line[2:-1].decode())
            elif line == b"count\n":
                writer.write(f"{len(clients)}\n".encode())
                await writer.drain()


def run_worker(host: str, port: int, control: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    asyncio.run(worker(host, port, control))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    procs = [
        multiprocessing.Process(target=run_worker, args=(args.host, args.port, args.control))
        for _ in range(args.workers)
    ]
    for proc in procs:
        proc.start()
    signal.signal(signal.SIGTERM, lambda *_: [p.terminate() for p in procs])
    for proc in procs:
        proc.join()


if __name__ == "__main__":
    main()
