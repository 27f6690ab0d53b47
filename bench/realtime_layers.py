"""`make bench-realtime`: cross-process group fan-out of the issue-11 candidates.

For each candidate this starts 2 subscriber processes (Django set up against a
scratch database under var/bench-realtime/), each with K receivers in one
group, and 1 publisher process that sends M messages at RATE/s, then BURST
messages as fast as it can. Every receiver records each message's latency
(publisher's time.time() in the message to the receiver's). The parent
collects per-process CPU (getrusage of the process itself), lost messages and
burst throughput, prints a Markdown table and writes it to --json.

    .venv/bin/python bench/realtime_layers.py
    .venv/bin/python bench/realtime_layers.py --only dbtail redis-pubsub -k 100

Candidates: channels_redis (RedisChannelLayer, RedisPubSubChannelLayer) on
127.0.0.1:6379, channels-postgres on 127.0.0.1:5432 (a scratch database made
and dropped here), channels-lite on SQLite, and "dbtail": the database as the
log (a table with an autoincrement id), tailed by ONE poller per process that
fans out in memory, a baseline written here and not product code.
Each run is bounded by --drain seconds after the publisher ends; what has not
arrived by then counts as lost. Loopback only; every child is stopped here.
"""

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench-realtime"
GROUP = "live"
PG_DB = "bench_realtime_layers"
PG = {"HOST": "127.0.0.1", "PORT": "5432", "USER": "postgres", "PASSWORD": ""}
CANDIDATES = ["redis", "redis-pubsub", "postgres", "lite", "dbtail"]


def django_setup(candidate: str) -> None:
    import django
    from django.conf import settings

    apps = ["django.contrib.contenttypes", "channels"]
    dbs = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SCRATCH / "default.sqlite3"),
        }
    }
    layer: dict = {}
    if candidate == "redis":
        layer = {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:6379/14"], "capacity": 1000},
        }
    elif candidate == "redis-pubsub":
        layer = {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:6379/14"]},
        }
    elif candidate == "postgres":
        apps.append("channels_postgres")
        pg = {"ENGINE": "django.db.backends.postgresql", "NAME": PG_DB, **PG}
        dbs["default"] = pg
        # The layer builds a DatabaseWrapper from this raw dict, which Django
        # has not filled with its defaults.
        layer = {
            "BACKEND": "channels_postgres.core.PostgresChannelLayer",
            "CONFIG": {**pg, "TIME_ZONE": None},
        }
    elif candidate == "lite":
        apps.append("channels_lite")
        dbs["default"] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SCRATCH / "lite.sqlite3"),
            # The settings channels-lite's README recommends.
            # plus IMMEDIATE transactions, without which two processes' group_add
            # (update_or_create) fail at once with "database is locked".
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
        layer = {
            "BACKEND": "channels_lite.layers.core.SQLiteChannelLayer",
            "CONFIG": {"database": "default", "capacity": 1000},
        }
    settings.configure(
        INSTALLED_APPS=apps,
        DATABASES=dbs,
        CHANNEL_LAYERS={"default": layer} if layer else {},
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


# --- dbtail: the database as the log, one poller per process -----------------

DBTAIL = SCRATCH / "dbtail.sqlite3"


def dbtail_connect() -> sqlite3.Connection:
    db = sqlite3.connect(DBTAIL, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA busy_timeout=5000")
    return db


def dbtail_create() -> None:
    DBTAIL.unlink(missing_ok=True)
    db = dbtail_connect()
    db.execute("CREATE TABLE event (id INTEGER PRIMARY KEY AUTOINCREMENT, grp TEXT, payload TEXT)")
    db.close()


class DbTail:
    """One poller per process reads new rows (id > last seen) and hands each
    to every local queue of its group: the database is read once per process,
    not once per connection."""

    def __init__(self, interval: float):
        self.interval = interval
        self.db = dbtail_connect()
        self.queues: dict[str, list[asyncio.Queue]] = {}
        # Start at the end of the log: a new reader wants what comes next.
        self.last = self.db.execute("SELECT coalesce(max(id), 0) FROM event").fetchone()[0]

    def subscribe(self, group: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(maxsize=1000)
        self.queues.setdefault(group, []).append(queue)
        return queue

    def _fetch(self) -> list:
        return self.db.execute(
            "SELECT id, grp, payload FROM event WHERE id > ? ORDER BY id LIMIT 1000", (self.last,)
        ).fetchall()

    async def run(self) -> None:
        while True:
            rows = await asyncio.to_thread(self._fetch)
            for row_id, group, payload in rows:
                self.last = row_id
                message = json.loads(payload)
                for queue in self.queues.get(group, ()):
                    queue.put_nowait(message)
            if len(rows) < 1000:
                await asyncio.sleep(self.interval)


# --- child processes ---------------------------------------------------------


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def subscriber(args) -> dict:
    expected = args.messages + args.burst
    latencies: dict[str, list[float]] = {"paced": [], "burst": []}
    last_burst_arrival = 0.0
    done = asyncio.Event()
    finished = 0

    duplicates = 0

    def record(seen: set, message: dict) -> None:
        nonlocal last_burst_arrival, duplicates
        now = time.time()
        if message["seq"] in seen:
            duplicates += 1
            return
        seen.add(message["seq"])
        latencies["burst" if message["burst"] else "paced"].append(now - message["t"])
        if message["burst"]:
            last_burst_arrival = max(last_burst_arrival, now)

    async def receiver(next_message) -> None:
        nonlocal finished
        seen: set[int] = set()
        while len(seen) < expected:
            record(seen, await next_message())
        finished += 1
        if finished == args.k:
            done.set()

    tasks = []
    if args.candidate == "dbtail":
        tail = DbTail(args.interval)
        tasks.append(asyncio.create_task(tail.run()))
        for _ in range(args.k):
            tasks.append(asyncio.create_task(receiver(tail.subscribe(GROUP).get)))
    else:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        for _ in range(args.k):
            channel = await layer.new_channel()
            await layer.group_add(GROUP, channel)
            tasks.append(asyncio.create_task(receiver(lambda c=channel: layer.receive(c))))
    await asyncio.sleep(1)  # let pollers/listeners start before the publisher does
    print("READY", flush=True)
    stop = Path(args.stop)
    cpu_at_ready = cpu_seconds()
    while not done.is_set() and not stop.exists():
        await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()
    return {
        "latencies": latencies,
        "last_burst_arrival": last_burst_arrival,
        "duplicates": duplicates,
        "cpu": cpu_seconds() - cpu_at_ready,
    }


async def publisher(args) -> dict:
    if args.candidate == "dbtail":
        db = dbtail_connect()

        async def publish(message: dict) -> None:
            await asyncio.to_thread(
                db.execute,
                "INSERT INTO event (grp, payload) VALUES (?, ?)",
                (GROUP, json.dumps(message)),
            )
    else:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()

        async def publish(message: dict) -> None:
            await layer.group_send(GROUP, {"type": "bench.message", **message})

    cpu_start = cpu_seconds()
    start = time.time()
    # A layer that cannot keep up is given send_budget(), then stops: what it
    # did send is the result.
    give_up = start + send_budget(args)
    sent = {"paced": 0, "burst": 0}
    for seq in range(args.messages):
        if time.time() > give_up:
            break
        await publish({"seq": seq, "t": time.time(), "burst": False})
        sent["paced"] += 1
        await asyncio.sleep(max(0.0, start + (seq + 1) / args.rate - time.time()))
    burst_start = time.time()
    for seq in range(args.burst):
        if time.time() > give_up:
            break
        await publish({"seq": args.messages + seq, "t": time.time(), "burst": True})
        sent["burst"] += 1
    return {"sent": sent, "burst_start": burst_start, "cpu": cpu_seconds() - cpu_start}


def send_budget(args) -> float:
    return args.messages / args.rate + 30


def child(args) -> None:
    if args.candidate != "dbtail":
        django_setup(args.candidate)
    if args.role == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return
    result = asyncio.run(subscriber(args) if args.role == "sub" else publisher(args))
    Path(args.out).write_text(json.dumps(result))


# --- parent --------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def prepare(candidate: str) -> str | None:
    """Make the candidate's scratch store; returns an error text if it cannot run."""
    if candidate == "dbtail":
        dbtail_create()
        return None
    if candidate in ("redis", "redis-pubsub"):
        import redis

        redis.Redis(host="127.0.0.1", port=6379, db=14).flushdb()
    if candidate == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
    if candidate == "lite":
        for suffix in ("", "-wal", "-shm"):
            (SCRATCH / f"lite.sqlite3{suffix}").unlink(missing_ok=True)
    if candidate in ("postgres", "lite"):
        done = subprocess.run(
            [sys.executable, __file__, "--role", "migrate", "--candidate", candidate],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            return done.stderr.strip().splitlines()[-1]
    return None


def cleanup(candidate: str) -> None:
    if candidate == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def run_candidate(candidate: str, args) -> dict:
    row: dict = {"candidate": candidate, "k": args.k}
    try:
        error = prepare(candidate)
    except Exception as exc:  # noqa: BLE001 - a store that is not there is a result, not a crash
        error = f"{type(exc).__name__}: {exc}"
    if error:
        return {**row, "error": error}
    stop = SCRATCH / f"{candidate}.stop"
    stop.unlink(missing_ok=True)
    common = [
        sys.executable,
        __file__,
        "--candidate",
        candidate,
        "-k",
        str(args.k),
        "-m",
        str(args.messages),
    ]
    common += [
        "--burst",
        str(args.burst),
        "--rate",
        str(args.rate),
        "--interval",
        str(args.interval),
    ]
    common += ["--stop", str(stop)]
    outs = [SCRATCH / f"{candidate}.sub{i}.json" for i in range(2)] + [
        SCRATCH / f"{candidate}.pub.json"
    ]
    for out in outs:
        out.unlink(missing_ok=True)
    subs = [
        subprocess.Popen(
            [*common, "--role", "sub", "--out", str(outs[i])], stdout=subprocess.PIPE, text=True
        )
        for i in range(2)
    ]
    procs = list(subs)
    try:
        for sub in subs:
            if sub.stdout.readline().strip() != "READY":
                return {**row, "error": "a subscriber did not start (see stderr above)"}
        pub = subprocess.Popen([*common, "--role", "pub", "--out", str(outs[2])])
        procs.append(pub)
        pub.wait(timeout=send_budget(args) + 60)
        deadline = time.time() + args.drain
        while time.time() < deadline and any(sub.poll() is None for sub in subs):
            time.sleep(0.2)
        stop.touch()
        for sub in subs:
            sub.wait(timeout=30)
    except subprocess.TimeoutExpired as exc:
        return {**row, "error": f"{Path(exc.cmd[-1]).stem} did not end in {exc.timeout:g} s"}
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        cleanup(candidate)
    if not all(out.exists() for out in outs):
        return {**row, "error": "a process ended without results"}
    sub_results = [json.loads(out.read_text()) for out in outs[:2]]
    pub_result = json.loads(outs[2].read_text())
    paced = [lat for result in sub_results for lat in result["latencies"]["paced"]]
    burst = [lat for result in sub_results for lat in result["latencies"]["burst"]]
    sent = pub_result["sent"]
    expected = 2 * args.k * (sent["paced"] + sent["burst"])
    last_burst = max(result["last_burst_arrival"] for result in sub_results)
    # None: no burst message arrived (a layer that never got to the burst).
    burst_s = last_burst - pub_result["burst_start"] if last_burst else None
    return {
        **row,
        "sent": sent["paced"] + sent["burst"],
        "intended": args.messages + args.burst,
        "delivered": len(paced) + len(burst),
        "expected": expected,
        "lost": expected - len(paced) - len(burst),
        "duplicates": sum(result["duplicates"] for result in sub_results),
        "paced_ms": [1000 * percentile(paced, q) for q in (0.5, 0.99, 1.0)],
        "burst_ms": [1000 * percentile(burst, q) for q in (0.5, 0.99, 1.0)],
        "burst_s": burst_s,
        "burst_deliveries_per_s": len(burst) / burst_s if burst_s else None,
        "cpu_sub_s": [round(result["cpu"], 2) for result in sub_results],
        "cpu_pub_s": round(pub_result["cpu"], 2),
    }


def table(rows: list[dict], args) -> str:
    lines = [
        f"K={args.k} receivers in each of 2 subscriber processes; {args.messages} messages at "
        f"{args.rate:g}/s, then a burst of {args.burst}; drain {args.drain:g} s. Latency in ms, "
        "p50 / p99 / max.",
        "",
        "| candidate | sent | delivered / expected | lost | dup | paced latency | burst latency "
        "| burst: s to last delivery | burst deliveries/s | CPU s sub1 / sub2 / pub |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "error" in row:
            lines.append(f"| {row['candidate']} | not run: {row['error']} | | | | | | | | |")
            continue
        cells = [
            row["candidate"],
            f"{row['sent']} / {row['intended']}",
            f"{row['delivered']:,} / {row['expected']:,}",
            f"{row['lost']:,}",
            f"{row['duplicates']:,}",
            " / ".join(f"{ms:,.0f}" for ms in row["paced_ms"]),
            " / ".join(f"{ms:,.0f}" for ms in row["burst_ms"]) if row["burst_s"] else "-",
            f"{row['burst_s']:.2f}" if row["burst_s"] else "-",
            f"{row['burst_deliveries_per_s']:,.0f}" if row["burst_s"] else "-",
            " / ".join(str(cpu) for cpu in [*row["cpu_sub_s"], row["cpu_pub_s"]]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=CANDIDATES, default=CANDIDATES)
    parser.add_argument("-k", type=int, default=500, help="receivers per subscriber process")
    parser.add_argument("-m", "--messages", type=int, default=200, help="paced messages")
    parser.add_argument("--rate", type=float, default=20.0, help="paced messages per second")
    parser.add_argument(
        "--burst", type=int, default=200, help="messages sent back to back after the paced ones"
    )
    parser.add_argument(
        "--interval", type=float, default=0.05, help="dbtail poll interval, seconds"
    )
    parser.add_argument(
        "--drain",
        type=float,
        default=30.0,
        help="seconds to wait for deliveries after the last send",
    )
    parser.add_argument("--json", default=str(SCRATCH / "results.json"))
    # Used by the child processes this script starts.
    parser.add_argument("--role", choices=["sub", "pub", "migrate"])
    parser.add_argument("--candidate", choices=CANDIDATES)
    parser.add_argument("--stop")
    parser.add_argument("--out")
    args = parser.parse_args()
    SCRATCH.mkdir(parents=True, exist_ok=True)
    if args.role:
        child(args)
        return
    rows = []
    for candidate in args.only:
        print(f"== {candidate}", flush=True)
        rows.append(run_candidate(candidate, args))
        print(json.dumps(rows[-1]), flush=True)
    Path(args.json).write_text(json.dumps(rows, indent=1))
    print(table(rows, args))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    main()
