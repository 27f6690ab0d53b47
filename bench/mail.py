"""Newsletter sending (issue 12): `make bench-mail`.

A digest (5 stories with photos) to N subscribers (default 10,000; every
fifth reads Russian) on a SQLite file in /dev/shm, sent through a local
aiosmtpd server that runs in this process (it counts recipients per
envelope, and parses nothing):

1. one worker process, then two on a new edition of the same list:
   messages/s from the first message to the last at the server, and CPU
   per message of the worker processes (their own CPU time around
   `send_deliver`, Django's start-up excluded);
2. SIGKILL: one worker killed when the server has ~N/2 messages, a second
   started after the dead one's lease expired; copies per recipient counted.

The server and the workers share the machine's cores (2 here): the numbers
include the server's share. Results print as one JSON document and a
Markdown table for docs/benchmarks.md.

    .venv/bin/python bench/mail.py                 # 10,000 subscribers
    .venv/bin/python bench/mail.py --subscribers 2000
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
LEASE = 5


class CountingHandler:
    """Counts each recipient's copies and the time of the first and last message."""

    def __init__(self):
        self.copies: Counter = Counter()
        self.messages = 0
        self.first = self.last = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        with self.lock:
            if not self.messages:
                self.first = now
            self.messages += 1
            self.last = now
            self.copies.update(envelope.rcpt_tos)
        return "250 OK"

    def reset(self):
        with self.lock:
            self.copies.clear()
            self.messages = 0
            self.first = self.last = 0.0


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, capture=True) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=capture, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return (result.stdout or "").strip()


def shell(env, code: str) -> str:
    return manage(env, "shell", "-c", code).splitlines()[-1]


WORKER = """
import json, os, sys, time
from broadsheet.mailings.engine import send_deliver
go = sys.argv[-1]
while not os.path.exists(go):
    time.sleep(0.005)
before = os.times()
counts = send_deliver(send_id={send_id})
after = os.times()
cpu = (after.user - before.user) + (after.system - before.system)
print(json.dumps({{"cpu": cpu, "counts": counts}}))
"""


def workers_start(env, send_id: int, count: int, go: Path) -> list[subprocess.Popen]:
    code = WORKER.format(send_id=send_id)
    return [
        subprocess.Popen(
            [PY, "-c", f"import django; django.setup(); exec({code!r})", str(go)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]


def run_workers(env, handler, send_id: int, count: int, work: Path) -> dict:
    handler.reset()
    go = work / f"go-{send_id}"
    processes = workers_start(env, send_id, count, go)
    time.sleep(4)  # Django imported and set up in every worker
    load_before = os.getloadavg()[0]
    sink_before = os.times()
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=1800)
        if process.returncode:
            sys.exit(f"worker failed:\n{err[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    sink_after = os.times()
    sink_cpu = (sink_after.user - sink_before.user) + (sink_after.system - sink_before.system)
    sent = sum(r["counts"].get("sent", 0) for r in results)
    elapsed = handler.last - handler.first
    cpu = sum(r["cpu"] for r in results)
    return {
        "workers": count,
        "messages": handler.messages,
        "recipients": len(handler.copies),
        "max_copies": max(handler.copies.values()) if handler.copies else 0,
        "seconds": round(elapsed, 2),
        "messages_per_second": round(handler.messages / elapsed, 1) if elapsed else None,
        "worker_cpu_seconds": round(cpu, 2),
        "cpu_ms_per_message": round(1000 * cpu / max(sent, 1), 3),
        # This process is the SMTP server (its other threads only wait).
        "server_cpu_ms_per_message": round(1000 * sink_cpu / max(sent, 1), 3),
        "load_1min_before": round(load_before, 2),
        "load_1min_after": round(os.getloadavg()[0], 2),
    }


def run_kill(env, handler, send_id: int, subscribers: int, work: Path) -> dict:
    handler.reset()
    go = work / f"go-{send_id}"
    go.touch()
    (first,) = workers_start(env, send_id, 1, go)
    target = subscribers // 2
    while handler.messages < target:
        if first.poll() is not None:
            sys.exit(f"the worker ended before the kill:\n{first.stderr.read()[-3000:]}")
        time.sleep(0.001)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = handler.messages
    time.sleep(LEASE + 0.5)  # the dead worker's lease expires
    (second,) = workers_start(env, send_id, 1, go)
    out, err = second.communicate(timeout=1800)
    if second.returncode:
        sys.exit(f"worker failed:\n{err[-3000:]}")
    time.sleep(1)
    report = json.loads(
        shell(
            env,
            "import json; from broadsheet.mailings.engine import send_finish_if_done as f; "
            "from broadsheet.mailings.loadtest import loadtest_report as r; "
            f"f(send_id={send_id}); print(json.dumps(r(send_id={send_id})))",
        )
    )
    copies = Counter(handler.copies.values())
    return {
        "killed_at_messages": killed_at,
        "messages": handler.messages,
        "recipients_reached": len(handler.copies),
        "recipients_missing": subscribers - len(handler.copies),
        "copies_histogram": {str(k): v for k, v in sorted(copies.items())},
        "rows": report,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    shm = Path("/dev/shm")  # noqa: S108 — tmpfs: SQLite commits cost nothing there
    work = Path(tempfile.mkdtemp(prefix="bench-mail-", dir=shm if shm.is_dir() else None))
    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings.dev",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "BROADSHEET_PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "SITE_URL": "https://news.example",
        "DEFAULT_FROM_EMAIL": "Broadsheet <newsroom@news.example>",
        "REDIS_URL": "",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "MAILINGS_LEASE_SECONDS": str(LEASE),
        "MAILINGS_RATE_PER_SECOND": "0",
        "LOG_LEVEL": "ERROR",
    }
    try:
        started = time.perf_counter()
        manage(env, "migrate", "--noinput", "--skip-checks", "-v0")
        shell(
            env,
            "from broadsheet.mailings.loadtest import loadtest_prepare as p; "
            f"p(subscribers={args.subscribers}); print('ok')",
        )
        print(f"setup: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        results = {"subscribers": args.subscribers, "cores": os.cpu_count(), "runs": []}
        for workers in (1, 2):
            send_id = int(
                shell(
                    env,
                    "from broadsheet.mailings.loadtest import loadtest_send as s; "
                    "print(s(enqueue=False))",
                )
            )
            run = run_workers(env, handler, send_id, workers, work)
            print(json.dumps(run), file=sys.stderr)
            results["runs"].append(run)
        send_id = int(
            shell(
                env,
                "from broadsheet.mailings.loadtest import loadtest_send as s; "
                "print(s(enqueue=False))",
            )
        )
        results["kill"] = run_kill(env, handler, send_id, args.subscribers, work)
        print(json.dumps(results, indent=2))
        print()
        print(
            "| workers | messages | seconds | msg/s | worker CPU ms/msg "
            "| SMTP server CPU ms/msg | load before/after |"
        )
        print("|---|---|---|---|---|---|---|")
        for run in results["runs"]:
            print(
                f"| {run['workers']} | {run['messages']:,} | {run['seconds']} | "
                f"{run['messages_per_second']} | {run['cpu_ms_per_message']} | "
                f"{run['server_cpu_ms_per_message']} | "
                f"{run['load_1min_before']} / {run['load_1min_after']} |"
            )
    finally:
        controller.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
