"""Fan-out on one live story (issue 11): `make bench-fanout`, or
`bench/run.py --only fanout` (the report's "Live fan-out (issue 11)").

For each N (1,000, 5,000, 10,000) this starts the site as `make run` does
(bin/serve: granian, 2 workers, DEBUG off) on a small demo database
(var/bench-fanout.sqlite3, made once), opens N Server-Sent Events
subscribers to one live story's stream from two client processes
(bench/fanout_clients.py, raw asyncio sockets), waits until all are
connected, then

1. publishes ONE post through the live app's services from a separate
   Django process (bench/fanout_publish.py) and takes, per subscriber, the
   delay from just before the publish call to the receipt of the event
   (one machine, one clock): p50, p99, max, how many got it;
2. publishes posts back to back for ~5 s (at most 1,000,000 / N of them,
   which bounds the bytes queued at once) and counts the events delivered to
   all subscribers per second, from the first publish to the last receipt;
3. reads the RSS of the granian workers (/proc) before and after opening
   the N connections: delta / N;
4. times 200 sequential GETs of an ordinary story page with none and with
   the N connections open (median, p90).

Then the same N websocket clients against a bare `websockets` broadcast
server (bench/fanout_bare_ws.py, 2 processes on one port) with messages of
the size the site's events have: the physical reference.

    .venv/bin/python bench/fanout.py                    # 1k, 5k, 10k; ours and bare
    .venv/bin/python bench/fanout.py --sizes 1000 --only bare
"""

import argparse
import hashlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as benchrun  # noqa: E402
from fanout_clients import raise_nofile  # noqa: E402

ROOT = benchrun.ROOT
VAR = benchrun.VAR
PY = benchrun.PY
HOST = benchrun.HOST
CLIENT_PROCS = 2
SIZES = (1000, 5000, 10_000)
SUSTAIN_SECONDS = 5.0
TRIALS = 5
DELIVERY_BUDGET = 1_000_000  # events in flight at once in the sustained run, at most
TARGET_P99_MS = 250
TARGET_KIB = 50
TARGET_RATIO = 0.25
log = benchrun.log


# --- /proc ---------------------------------------------------------------


def _procs() -> dict[int, tuple[int, str]]:
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        out[int(entry.name)] = (ppid, cmdline)
    return out


def worker_pids(root: int, marker: str) -> list[int]:
    """The server's worker processes: the children of the first process under
    `root` whose command line contains `marker` (granian's or the bare
    server's main process)."""
    procs = _procs()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    todo = [root]
    while todo:
        pid = todo.pop(0)
        if marker in procs.get(pid, (0, ""))[1]:
            return [c for c in children.get(pid, []) if "resource_tracker" not in procs[c][1]]
        todo += children.get(pid, [])
    return []


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (all their threads)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rfind(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def sockets_of(pid: int) -> int:
    """Open sockets of a process: how the connections spread over the workers."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:
            continue
    return count


def nofile_of(pid: int) -> str:
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max open files"):
            return line.split()[3]
    return "?"


# --- clients -------------------------------------------------------------


class Clients:
    """CLIENT_PROCS processes of bench/fanout_clients.py holding N subscribers."""

    def __init__(self, kind: str, port: int, path: str, n: int):
        self.n = n
        self.procs = []
        for i in range(CLIENT_PROCS):
            count = n // CLIENT_PROCS + (1 if i < n % CLIENT_PROCS else 0)
            self.procs.append(
                subprocess.Popen(
                    [PY, str(ROOT / "bench" / "fanout_clients.py"), "--kind", kind]
                    + ["--host", HOST, "--port", str(port), "--path", path]
                    + ["--count", str(count)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )

    def ask(self, command: str) -> list[dict]:
        for proc in self.procs:
            proc.stdin.write(command + "\n")
            proc.stdin.flush()
        return [json.loads(proc.stdout.readline()) for proc in self.procs]

    def status(self) -> dict:
        answers = self.ask("status")
        out = {k: sum(a[k] for a in answers) for k in ("connected", "failed", "closed", "events")}
        out["done"] = all(a["done"] for a in answers)
        errors: dict = {}
        for a in answers:
            for k, v in a["errors"].items():
                errors[k] = errors.get(k, 0) + v
        out["errors"] = errors
        return out

    def open(self, timeout: float = 300) -> dict:
        start = time.monotonic()
        self.ask("open")
        while True:
            time.sleep(0.5)
            s = self.status()
            if s["done"] or time.monotonic() - start > timeout:
                s["seconds"] = round(time.monotonic() - start, 1)
                return s

    def wait_events(self, expected: int, quiet: float, limit: float) -> None:
        """Until `expected` events arrived, nothing new for `quiet` s, or `limit` s."""
        start = last_change = time.monotonic()
        seen = -1
        while time.monotonic() - start < limit:
            events = self.status()["events"]
            if events >= expected:
                return
            if events != seen:
                seen, last_change = events, time.monotonic()
            elif time.monotonic() - last_change > quiet:
                return
            time.sleep(0.1)

    def report(self) -> dict:
        answers = self.ask("report")
        kinds: dict = {}
        for a in answers:
            for k, v in a["kinds"].items():
                kinds[k] = kinds.get(k, 0) + v
        lasts = [a["last"] for a in answers if a["last"] is not None]
        return {
            "first": [t for a in answers for t in a["first"]],
            "last": max(lasts) if lasts else None,
            "counts": [c for a in answers for c in a["counts"]],
            "open": sum(a["open"] for a in answers),
            "kinds": kinds,
            "sizes": [s for a in answers for s in a["sizes"]],
        }

    def close(self) -> None:
        for proc in self.procs:
            try:
                proc.stdin.write("close\n")
                proc.stdin.flush()
                proc.wait(timeout=30)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                proc.kill()
                proc.wait()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def one_broadcast(clients: Clients, connected: int, publish) -> dict:
    clients.ask("reset")
    t0, extra = publish()
    clients.wait_events(connected, quiet=5, limit=60)
    time.sleep(0.3)  # a second event of the same publish, if any
    r = clients.report()
    delays = [(t - t0) * 1000 for t in r["first"]]
    out = {"received": len(delays), "kinds": r["kinds"], "sizes": r["sizes"], **extra}
    out["events_per_subscriber"] = 0.0
    if delays:
        out |= {
            "min": min(delays),
            "p10": percentile(delays, 0.1),
            "p50": statistics.median(delays),
            "p99": percentile(delays, 0.99),
            "max": max(delays),
            "events_per_subscriber": sum(r["counts"]) / max(1, len(delays)),
        }
    return out


def trials(clients: Clients, connected: int, publish, count: int) -> dict:
    """`count` single-post broadcasts a second apart: the delays of one post
    swing with what else the machine does, so the table shows the median trial's p50 and p99 and the
    largest delay of all of them; every trial is kept in the JSON."""
    runs = []
    for _ in range(count):
        runs.append(one_broadcast(clients, connected, publish))
        time.sleep(1)
    done = [r for r in runs if "p99" in r]
    out = {
        "trials": runs,
        "received": min(r["received"] for r in runs),
        "kinds": runs[-1]["kinds"],
        "sizes": runs[-1]["sizes"],
        "publish_ms": statistics.median(r["publish_ms"] for r in runs),
    }
    if done:
        out |= {
            "min": min(r["min"] for r in done),
            "p50": statistics.median(r["p50"] for r in done),
            "p99": statistics.median(r["p99"] for r in done),
            "max": max(r["max"] for r in done),
            "p99_worst": max(r["p99"] for r in done),
            "events_per_subscriber": statistics.median(r["events_per_subscriber"] for r in done),
        }
    return out


def idle_cpu(pids: list[int], seconds: float = 3.0) -> float:
    """CPU seconds per second the server spends holding the connections idle
    (the log tail's polls, heartbeats, presence)."""
    before = cpu_seconds(pids)
    time.sleep(seconds)
    return (cpu_seconds(pids) - before) / seconds


def per_delivery(before: tuple[float, float], pids: list[int], idle: float, n: int) -> float:
    """The server's CPU µs per event delivered since `before` (CPU seconds,
    monotonic time), less what holding the connections idle cost meanwhile:
    what the fan-out costs, whatever else the machine is doing."""
    cpu = cpu_seconds(pids) - before[0] - idle * (time.monotonic() - before[1])
    return max(0.0, cpu) * 1e6 / max(1, n)


def sustained(
    clients: Clients, connected: int, burst, per_post: float, budget: int, pids: list[int], idle
) -> dict:
    clients.ask("reset")
    before = cpu_seconds(pids), time.monotonic()
    t_start, t_end, count = burst(budget)
    expected = int(count * connected * per_post)
    clients.wait_events(expected, quiet=5, limit=120)
    r = clients.report()
    delivered = sum(r["counts"])
    span = (r["last"] - t_start) if r["last"] else 0
    return {
        "posts": count,
        "publish_per_s": count / max(1e-9, t_end - t_start),
        "publish_s": t_end - t_start,
        "delivered": delivered,
        "expected": expected,
        "per_s": delivered / span if span else 0,
        "drain_s": (r["last"] - t_end) if r["last"] else None,
        "kinds": r["kinds"],
        "open_after": r["open"],
        "server_cpu_us": per_delivery(before, pids, idle, delivered),
    }


def page_times(base_port: int, path: str, count: int = 200) -> dict:
    conn = http.client.HTTPConnection(HOST, base_port, timeout=30)
    times = []
    statuses = set()
    for i in range(count + 30):
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if i >= 30:  # the first ones warm the connection and the memo
            times.append((time.perf_counter() - start) * 1000)
        statuses.add(response.status)
    conn.close()
    p50, p90 = statistics.median(times), percentile(times, 0.9)
    return {"p50": p50, "p90": p90, "status": sorted(statuses)}


# --- the site ------------------------------------------------------------


class Publisher:
    """bench/fanout_publish.py: Django on the server's database, another process."""

    def __init__(self, env: dict):
        self.proc = subprocess.Popen(
            [PY, str(ROOT / "bench" / "fanout_publish.py")],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, command: str) -> dict:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"publisher exited on {command!r}: {self.proc.wait()}")
        return json.loads(line)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def fanout_env(server_env: dict[str, str]) -> dict:
    env = benchrun.django_env("fanout", media="bench-fanout-media")
    # One address holds all N subscribers here: the per-IP cap is lifted for
    # this run only (the site's default is unchanged).
    env["REALTIME_MAX_PER_IP"] = "1000000"
    env.update(server_env)
    return env


def prepare(env: dict) -> None:
    ready = VAR / "bench-fanout.ready"
    # Made again when a migration or the demo changes (the live story comes
    # with the live app's demo data): the names of the migrations and the
    # text of the demo's code are its fingerprint.
    files = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("broadsheet/*/migrations/0*.py"))
    demo = [
        *ROOT.glob("broadsheet/*/demo*.py"),
        *ROOT.glob("broadsheet/*/management/commands/load_demo.py"),
    ]
    digest = hashlib.sha256("\n".join(files).encode())
    for path in sorted(demo):
        digest.update(path.read_bytes())
    stamp = digest.hexdigest()
    database = VAR / "bench-fanout.sqlite3"
    if not (ready.exists() and database.exists() and ready.read_text() == stamp):
        database.unlink(missing_ok=True)
        log("fanout: building var/bench-fanout.sqlite3 (a small demo newsroom)")
        benchrun.manage(env, "migrate", "--noinput", "-v0")
        benchrun.manage(env, "load_demo", "--articles", "20", "--photos", "2", "--no-progress")
        ready.write_text(stamp)
    benchrun.manage(env, "migrate", "--noinput", "-v0")
    benchrun.manage(env, "collectstatic", "--noinput", "-v0")


def run_ours(n: int, env: dict, payload: dict) -> dict:
    publisher = Publisher(env)
    info = publisher.ask("info")
    path = f"/realtime/events?stream=live-{info['page_id']}"
    out: dict = {"loadavg": [benchrun.loadavg()], "path": path}
    with benchrun.Server("bin/serve", env) as server:
        workers = worker_pids(server.proc.pid, "granian")
        out["workers"] = len(workers)
        out["nofile"] = nofile_of(workers[0]) if workers else "?"
        out["page_none"] = page_times(server.port, info["story_url"])
        out["rss_before"] = rss_kib(workers)
        clients = Clients("sse", server.port, path, n)
        try:
            log(f"fanout ours {n}: opening")
            out["open"] = clients.open()
            connected = out["open"]["connected"]
            log(f"fanout ours {n}: {out['open']}")
            for _ in range(50):  # presence is shared across processes: wait until it says N
                out["presence"] = publisher.ask("presence")["presence"]
                if out["presence"] >= connected:
                    break
                time.sleep(0.2)
            time.sleep(1)
            out["rss_after"] = rss_kib(workers)
            out["sockets"] = [sockets_of(pid) for pid in workers]
            out["kib_per_conn"] = (out["rss_after"] - out["rss_before"]) / max(1, connected)
            out["page_open"] = page_times(server.port, info["story_url"])

            def publish():
                a = publisher.ask("one")
                return a["t0"], {"publish_ms": a["ms"]}

            # The first post of a process pays for imports and template
            # loading, as no long-running server process does: not measured.
            one_broadcast(clients, connected, publish)

            out["idle_cpu"] = idle_cpu(workers)
            before = cpu_seconds(workers), time.monotonic()
            out["one"] = trials(clients, connected, publish, TRIALS)
            delivered = sum(r["received"] for r in out["one"]["trials"])
            out["one"]["server_cpu_us"] = per_delivery(before, workers, out["idle_cpu"], delivered)
            log(f"fanout ours {n}: one post {_brief(out['one'])}")
            if out["one"].get("sizes"):
                payload["size"] = max(out["one"]["sizes"])

            def burst(most: int):
                a = publisher.ask(f"burst {SUSTAIN_SECONDS} {most}")
                return a["t_start"], a["t_end"], a["count"]

            per_post = out["one"].get("events_per_subscriber", 1.0)
            budget = max(1, DELIVERY_BUDGET // max(1, n))
            out["sustained"] = sustained(
                clients, connected, burst, per_post, budget, workers, out["idle_cpu"]
            )
            log(f"fanout ours {n}: sustained {_brief(out['sustained'])}")
            out["rss_end"] = rss_kib(workers)
        finally:
            clients.close()
            publisher.close()
    out["loadavg"].append(benchrun.loadavg())
    return out


def _brief(d: dict) -> str:
    return ", ".join(
        f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}"
        for k, v in d.items()
        if k not in ("kinds", "sizes", "trials")
    )


# --- the bare reference --------------------------------------------------


def run_bare(n: int, payload: dict, workers: int = 2) -> dict:
    control = socket.socket()
    control.bind((HOST, 0))
    control.listen(8)
    control.settimeout(60)
    port = benchrun.free_port()
    proc = subprocess.Popen(
        [PY, str(ROOT / "bench" / "fanout_bare_ws.py"), "--port", str(port)]
        + ["--control", str(control.getsockname()[1]), "--workers", str(workers)],
        cwd=ROOT,
        start_new_session=True,
    )
    out: dict = {"loadavg": [benchrun.loadavg()]}
    links = []
    try:
        for _ in range(workers):
            sock, _ = control.accept()
            sock.settimeout(60)
            links.append((sock, sock.makefile("rb")))
            links[-1][1].readline()  # hello
        pids = worker_pids(proc.pid, "fanout_bare_ws")
        out["workers"] = len(pids)
        out["rss_before"] = rss_kib(pids)
        size = payload.get("size", 600)
        number = 0

        def message() -> bytes:
            nonlocal number
            number += 1
            text = json.dumps({"id": number, "kind": "post", "html": ""})
            pad = "x" * max(0, size - len(text))
            return ("B " + json.dumps({"id": number, "kind": "post", "html": pad}) + "\n").encode()

        def send(data: bytes) -> None:
            for sock, _ in links:
                sock.sendall(data)

        clients = Clients("ws", port, "/", n)
        try:
            log(f"fanout bare {n}: opening")
            out["open"] = clients.open()
            connected = out["open"]["connected"]
            log(f"fanout bare {n}: {out['open']}")
            for sock, _ in links:
                sock.sendall(b"count\n")
            out["presence"] = sum(int(reader.readline()) for _, reader in links)
            time.sleep(1)
            out["rss_after"] = rss_kib(pids)
            out["sockets"] = [sockets_of(pid) for pid in pids]
            out["kib_per_conn"] = (out["rss_after"] - out["rss_before"]) / max(1, connected)

            def publish():
                data = message()
                t0 = time.time()
                send(data)
                return t0, {"publish_ms": (time.time() - t0) * 1000}

            out["idle_cpu"] = idle_cpu(pids)
            before = cpu_seconds(pids), time.monotonic()
            out["one"] = trials(clients, connected, publish, TRIALS)
            delivered = sum(r["received"] for r in out["one"]["trials"])
            out["one"]["server_cpu_us"] = per_delivery(before, pids, out["idle_cpu"], delivered)
            log(f"fanout bare {n}: one message {_brief(out['one'])}")

            def burst(most: int):
                start = time.time()
                count = 0
                while count < most and time.time() - start < SUSTAIN_SECONDS:
                    send(message())
                    count += 1
                return start, time.time(), count

            budget = max(1, DELIVERY_BUDGET // max(1, n))
            out["sustained"] = sustained(
                clients, connected, burst, 1.0, budget, pids, out["idle_cpu"]
            )
            log(f"fanout bare {n}: sustained {_brief(out['sustained'])}")
            out["rss_end"] = rss_kib(pids)
        finally:
            clients.close()
    finally:
        for sock, _ in links:
            sock.close()
        control.close()
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    out["loadavg"].append(benchrun.loadavg())
    out["payload_bytes"] = payload.get("size", 600)
    return out


def bench_fanout(
    sizes=SIZES, only=("ours", "bare"), server_env: dict[str, str] | None = None
) -> dict:
    nofile = raise_nofile()
    server_env = server_env or {}
    env = fanout_env(server_env)
    if "ours" in only:
        prepare(env)
    rows = []
    for n in sizes:
        payload: dict = {}
        row: dict = {"n": n}
        if "ours" in only:
            try:
                row["ours"] = run_ours(n, env, payload)
            except (RuntimeError, OSError, KeyError, ValueError) as exc:
                # A failed run is a result too (e.g. the server refused the
                # subscribers): reported as such, the bare run still happens.
                log(f"fanout ours {n}: FAILED {exc!r}")
                row["ours"] = {"error": repr(exc)}
        if "bare" in only:
            row["bare"] = run_bare(n, payload)
        rows.append(row)
    return {
        "date": benchrun.dt.datetime.now(benchrun.dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "nofile": nofile,
        "client_procs": CLIENT_PROCS,
        "server_env": server_env,
        "machine": benchrun.machine(),
        "rows": rows,
    }


def _ms(d: dict, key: str) -> str:
    return f"{d[key]:,.0f}" if key in d else "–"


def _us(d: dict) -> str:
    return f"{d['server_cpu_us']:.0f}" if d.get("server_cpu_us") is not None else "–"


def _side(name: str, r: dict, n: int) -> str:
    if "error" in r:
        return f"| {n:,} | {name} | failed: {r['error'][:120]} |" + " |" * 13
    o, one, s = r["open"], r.get("one", {}), r.get("sustained", {})
    pages = "–"
    if "page_none" in r:
        pages = (
            f"{r['page_none']['p50']:.1f} / {r['page_none']['p90']:.1f} → "
            f"{r['page_open']['p50']:.1f} / {r['page_open']['p90']:.1f}"
        )
    spread = " + ".join(f"{c:,}" for c in r.get("sockets", []))
    return (
        f"| {n:,} | {name} | {o['connected']:,} ({o['failed']:,} failed) in {o['seconds']} s"
        f"{f'; sockets per worker {spread}' if spread else ''} | "
        f"{one.get('received', 0):,} | {_ms(one, 'p50')} / {_ms(one, 'p99')} / {_ms(one, 'max')} | "
        f"{one.get('publish_ms', 0):.1f} | "
        f"{s.get('posts', 0):,} at {s.get('publish_per_s', 0):,.0f}/s | "
        f"{s.get('delivered', 0):,} / {s.get('expected', 0):,} | {s.get('per_s', 0):,.0f} | "
        f"{(s.get('drain_s') or 0):.1f} | {_us(one)} / {_us(s)} | "
        f"{r.get('idle_cpu', 0) * 100:.0f} | {r.get('kib_per_conn', 0):.1f} | {pages} | "
        f"{' → '.join(r['loadavg'])} |"
    )


def verdicts(row: dict) -> dict:
    ours, bare = row.get("ours", {}), row.get("bare", {})
    out = {}
    if "one" in ours and "p99" in ours["one"]:
        all_got = ours["one"]["received"] == row["n"]
        out["p99"] = (ours["one"]["p99"], ours["one"]["p99"] <= TARGET_P99_MS and all_got)
    if "kib_per_conn" in ours:
        out["kib"] = (ours["kib_per_conn"], ours["kib_per_conn"] <= TARGET_KIB)
    if ours.get("sustained", {}).get("per_s") and bare.get("sustained", {}).get("per_s"):
        ratio = ours["sustained"]["per_s"] / bare["sustained"]["per_s"]
        out["ratio"] = (ratio, ratio >= TARGET_RATIO)
        # Delivered at the rate the publisher offered, with nothing left over:
        # the figure is the publish path's, not the fan-out's capacity.
        drain = ours["sustained"].get("drain_s")
        out["publish_bound"] = drain is not None and drain < 1.0
    return out


def fanout_lines(f: dict) -> list[str]:
    m = f["machine"]
    extra = ", ".join(f"`{k}={v}`" for k, v in f.get("server_env", {}).items())
    lines = [
        "## Live fan-out (issue 11)",
        "",
        f"- Date: {f['date']} (UTC); machine: {m['nproc']} CPUs ({m['cpu']}), "
        f"{m['ram_gb']} GB RAM, Linux {m['kernel']}, Python {m['python']}; "
        "shared with other engineers' test runs (load average per row)",
        "- Command: `make bench-fanout` (`.venv/bin/python bench/fanout.py`; also "
        "`bench/run.py --only fanout`)",
        "- Ours: `bin/serve` as `make run` starts it (granian, `WEB_CONCURRENCY=2`, "
        "`DJANGO_DEBUG=0`, SQLite, a 20-story demo database var/bench-fanout.sqlite3), "
        "`REALTIME_MAX_PER_IP=1000000` for the run"
        + (f", and {extra}" if extra else "")
        + f"; open-files limit {f['nofile']:,} (raised by the benchmark, inherited by "
        "the server); subscribers are SSE GETs of `/realtime/events?stream=live-<id>`; "
        "posts are published as the posting desk's Publish does it "
        "(`live_post_create(publish=True)` in one transaction) from another Django "
        "process (bench/fanout_publish.py), after one warm-up post; 'publish ms' is "
        "that call alone, the rest of the delay is the server's",
        "- Bare: bench/fanout_bare_ws.py, `websockets` "
        "(`broadcast()`, 2 processes on one port), websocket clients, messages padded "
        "to the size of the site's event",
        f"- Clients: {f['client_procs']} processes (bench/fanout_clients.py, raw asyncio "
        "sockets, a protocol object per connection) on the same 2 CPUs as the server",
        "- Delay: from `time.time()` just before the publish call to the receipt of "
        f"the event by each subscriber (one clock); {TRIALS} single-post trials a second "
        "apart: the median trial's p50 and p99, the largest delay of all trials, and the "
        "fewest subscribers that got a post. Sustained: posts published back to back "
        f"for {SUSTAIN_SECONDS:.0f} s (at most {DELIVERY_BUDGET:,} / N), events delivered "
        "to all subscribers ÷ (last receipt − first publish); 'drain' is the time from "
        "the last publish to the last receipt",
        "- Server CPU per delivery: user + system CPU of the server's worker processes "
        "(/proc, all threads) over the single-post trials ÷ events delivered, and the "
        "same over the sustained run, less the idle cost (the server's CPU over 3 s with "
        "the N connections open and nothing published, also shown as % of one CPU): the "
        "cost of fan-out whatever else the machine does",
        "- Story page: 200 sequential GETs of an ordinary story on one keep-alive "
        "connection, p50 / p90 ms, with no subscriber → with the N open",
        "",
        "| N | server | connected | got the post | delay p50 / p99 / max ms | publish ms "
        "| sustained posts "
        "| delivered / expected | delivered events/s | drain s "
        "| server CPU µs per delivery, one post / sustained | idle server CPU % "
        "| KiB per connection "
        "| story page ms, none → N open | load avg |",
        "|---:|---|---|---:|---|---:|---|---|---:|---:|---|---:|---:|---|---|",
    ]
    for row in f["rows"]:
        for name in ("ours", "bare"):
            if name in row:
                lines.append(_side(name, row[name], row["n"]))
    lines += [
        "",
        f"Targets (issue): p99 ≤ {TARGET_P99_MS} ms at 10,000, ≤ {TARGET_KIB} KiB per "
        f"connection, delivered events/s ≥ {TARGET_RATIO}× the bare server's.",
        "",
        "| N | p99 ms | KiB per connection | delivery rate vs bare |",
        "|---:|---|---|---|",
    ]

    def cell(v, fmt):
        if v is None:
            return "–"
        return f"{fmt.format(v[0])} {'met' if v[1] else '**not met**'}"

    for row in f["rows"]:
        v = verdicts(row)
        p99 = cell(v.get("p99"), "{:,.0f}")
        if row["n"] != 10_000 and v.get("p99"):
            p99 = f"{v['p99'][0]:,.0f} (the target is at 10,000)"
        ratio = cell(v.get("ratio"), "{:.2f}×")
        if v.get("publish_bound"):
            ratio += " (ours kept up with its publisher: the publish path's rate, not capacity)"
        lines.append(f"| {row['n']:,} | {p99} | {cell(v.get('kib'), '{:.1f}')} | {ratio} |")
    lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--only", nargs="+", choices=("ours", "bare"), default=["ours", "bare"])
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the site's server (e.g. GRANIAN_BACKPRESSURE=20000)",
    )
    parser.add_argument("--json", type=Path, help="write the raw result here")
    args = parser.parse_args()
    server_env = dict(item.split("=", 1) for item in args.server_env)
    result = bench_fanout(args.sizes, args.only, server_env)
    text = json.dumps(result, indent=2)
    if args.json:
        args.json.write_text(text)
    print("\n".join(fanout_lines(result)))


if __name__ == "__main__":
    main()
