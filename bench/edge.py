"""`make bench-edge`: what the edge (issue 14) buys, on this machine, in one run.

With the demo newsroom (`load_demo --articles 1000` into its own SQLite
database, var/bench-edge.sqlite3, reused when it is already there; uploads in
var/bench-edge-media) and the site served by granian with 2 workers
(bench/run.py's `Server("granian")`, `broadsheet.settings.dev` with
DJANGO_DEBUG=0), it runs `wrk -t2 -c8 -d<duration> --latency` against

1. floor: `/robots.txt` from the site, BROADSHEET_RESPONSE_CACHE=off;
2. nginx static: the newest story's exact bytes (fetched once from the site)
   as a static file, from an nginx of our own (2 worker processes, temp
   config and prefix; never the system service);
3. Varnish: the story through `broadsheet.edge.varnish.VarnishProcess` in
   front of the site (after `X-Cache: HIT` is seen);
4. embedded: the story from the site's own response cache,
   BROADSHEET_RESPONSE_CACHE=process (after `X-Broadsheet-Cache: hit`), and
   the same kept in Redis (`shared`, BENCH_REDIS_URL, default db 7 of the
   local Redis);
5. uncached article and uncached front page, BROADSHEET_RESPONSE_CACHE=off;

and reports req/s, p50/p99 and the ratios the issue asks for (reported, not
asserted). Then

6. publish -> fresh through Varnish: the site behind Varnish with
   BROADSHEET_EDGE_BACKEND=varnish, the task worker (`manage.py db_worker
   --queue-name '*' --interval <s> --no-reload`, as bin/serve runs it, with
   bin/serve's interval, read from bin/serve, and with 1 s) and the scheduler
   running. --publishes times
   each: the front page is warmed through Varnish until `X-Cache: HIT`, the
   title of a story shown on it is changed and its revision published (a
   helper process with the site's settings: `bench/edge.py publisher`), and
   the front page is polled through Varnish every 20 ms until the new title
   is there (each publish after a random pause of 0-1.5 s). The time from
   the publish's commit to that answer is recorded.

It prints the JSON (also written to var/bench-edge.json) and a markdown
table, and writes the section "## Edge (issue 14)" of docs/benchmarks.md
(replaced if there, else appended).

    make bench-edge
    .venv/bin/python bench/edge.py --duration 3s --publishes 5 --no-report
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from run import (
    HOST,
    ROOT,
    VAR,
    WORKERS,
    Server,
    benchmarks_section_write,
    django_env,
    loadavg,
    machine,
    manage,
    warm,
    wrk,
)

# broadsheet.edge.varnish (VarnishProcess) is standard library only: this
# process imports it without Django.
sys.path.insert(0, str(ROOT))
from broadsheet.edge.varnish import VarnishProcess  # noqa: E402
from broadsheet.edge.varnish import free_port as any_port  # noqa: E402

PY = sys.executable
NAME = "edge"
MEDIA = "bench-edge-media"
SECTION = "## Edge (issue 14)"
TARGETS = {
    "varnish / nginx": 0.8,
    "embedded / floor": 0.9,
    "embedded shared / floor": 0.9,
    "uncached article / floor": 0.5,
    "uncached front / floor": 0.25,
}
POLL_SECONDS = 0.02
# The task worker's polling interval as bin/serve starts it.
SERVE_WORKER_INTERVAL = float(
    re.search(r"db_worker .*--interval ([0-9.]+)", (ROOT / "bin" / "serve").read_text()).group(1)
)
PAUSE_MAX = 1.5  # seconds; more than bin/serve's worker interval
PAUSES = random.Random(14)
FRESH_TIMEOUT = 40.0  # past the scheduler's 30 s pass: a lost task still shows


def log(message: str) -> None:
    print(f"[bench-edge] {message}", file=sys.stderr, flush=True)


# -- the publishing helper (a subprocess with the site's settings) -------------


def publisher() -> None:
    """Reads commands on stdin, answers one JSON line each on stdout.

    `candidates` -> the 30 newest live stories [[pk, title], ...]
    `drain` -> {"pending": keys queued before, "sent": ..., "tasks_dropped": ...}:
        drops the background tasks still queued (load_demo leaves ~13,000:
        reference and search index updates, purges, newsletter sends; with
        them queued the worker is never idle and any of its ~3,600 old purge
        tasks sends a new publish's keys, so the worker's polling would not
        be measured), then sends the purge queue until it is empty (load_demo
        leaves thousands of keys queued)
    `publish PK TITLE` -> {"committed": unix time of the commit, "publish_ms": ...}
    """
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import transaction
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from broadsheet.edge.models import PendingPurge
    from broadsheet.edge.services import edge_purges_send
    from broadsheet.news.models import ArticlePage

    for line in sys.stdin:
        command, _, rest = line.strip().partition(" ")
        if command == "candidates":
            stories = ArticlePage.objects.published().newest_first()[:30]
            answer = [[s.pk, s.title] for s in stories]
        elif command == "drain":
            ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            answer = {"tasks_dropped": ready.delete()[0]}
            answer |= {"pending": PendingPurge.objects.count(), "sent": 0}
            started = time.perf_counter()
            while sent := edge_purges_send():
                answer["sent"] += sent
            answer["left"] = PendingPurge.objects.count()
            answer["seconds"] = round(time.perf_counter() - started, 2)
        elif command == "publish":
            pk, _, title = rest.partition(" ")
            committed = []
            started = time.perf_counter()
            with transaction.atomic():
                # Registered first, so it runs first after the commit (before
                # the purge task is enqueued by the publish's own callback).
                transaction.on_commit(lambda done=committed: done.append(time.time()))
                story = ArticlePage.objects.get(pk=int(pk)).specific
                story.title = title
                story.save_revision().publish()
            answer = {
                "committed": committed[0],
                "publish_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        else:
            answer = {"error": f"unknown command {command!r}"}
        print(json.dumps(answer), flush=True)


class Publisher:
    def __init__(self, env: dict):
        self.proc = subprocess.Popen(
            [PY, __file__, "publisher"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    def ask(self, line: str):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise RuntimeError(f"publisher exited ({self.proc.poll()})")
        return json.loads(answer)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


# -- processes of our own -------------------------------------------------------


class Background:
    """A manage.py command (task worker, scheduler) in its own process group."""

    def __init__(self, env: dict, *args: str, log_name: str):
        (VAR / "bench-logs").mkdir(exist_ok=True)
        self.log = open(VAR / "bench-logs" / log_name, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


NGINX_CONF = """\
worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    default_type text/html;
    charset utf-8;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen {host}:{port};
        root {prefix}/www;
        location / {{
            try_files /story.html =404;
        }}
    }}
}}
"""


class Nginx:
    """nginx serving one file (the story's bytes) at every path."""

    def __init__(self, body: bytes, port: int):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.access(binary, os.X_OK):
            raise RuntimeError("nginx is missing: apt-get install -y nginx-light")
        self.prefix = Path(tempfile.mkdtemp(prefix="bench-edge-nginx-"))
        # Started as root, nginx's workers run as `nobody`: they must read it.
        self.prefix.chmod(0o755)
        (self.prefix / "www").mkdir()
        (self.prefix / "www" / "story.html").write_bytes(body)
        conf = self.prefix / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(workers=WORKERS, prefix=self.prefix, host=HOST, port=port)
        )
        self.base = f"http://{HOST}:{port}"
        self.proc = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(self.prefix), "-e", str(self.prefix / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def __enter__(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                error = (self.prefix / "error.log").read_text(errors="replace")
                self.stop()
                raise RuntimeError(f"nginx exited: {error[-500:]}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2) as response:
                    response.read()
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not come up")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        shutil.rmtree(self.prefix, ignore_errors=True)

    def __exit__(self, *exc):
        self.stop()


# -- helpers ----------------------------------------------------------------------


def prepare(size: int) -> dict:
    """var/bench-edge.sqlite3 with `size` demo stories (reused when ready)."""
    env = django_env(NAME, media=MEDIA)
    ready = VAR / f"bench-{NAME}.ready"
    VAR.mkdir(exist_ok=True)
    if ready.exists() and ready.read_text().strip() == str(size):
        log(f"reusing var/bench-{NAME}.sqlite3 ({size:,} stories)")
        manage(env, "migrate", "--noinput", "-v0")
    else:
        log(f"building var/bench-{NAME}.sqlite3 ({size:,} stories)")
        (VAR / f"bench-{NAME}.sqlite3").unlink(missing_ok=True)
        shutil.rmtree(VAR / MEDIA, ignore_errors=True)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "--articles", str(size), "--no-progress")
        manage(env, "make_renditions", "--no-progress")
        ready.write_text(str(size))
    manage(env, "collectstatic", "--noinput", "-v0")
    return env


def fetch(url: str):
    """(status, headers, body); the headers' names are case-insensitive
    (granian sends them in lower case, Varnish as the VCL spells them)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers, response.read()


def warm_until(url: str, header: str, value: str, tries: int = 50) -> dict:
    """Request `url` until `header: value` is in the answer; that answer's headers."""
    headers = None
    for _ in range(tries):
        _status, headers, _body = fetch(url)
        if headers.get(header, "").lower() == value.lower():
            return headers
        time.sleep(0.02)
    raise RuntimeError(f"{url}: never answered {header}: {value} (last: {dict(headers)})")


def measure(name: str, url: str, path: str, duration: str, **extra) -> dict:
    log(f"wrk {name} {url}")
    before = loadavg()
    result = wrk(url, duration)
    return {"name": name, "path": path, **extra, **result, "loadavg": [before, loadavg()]}


def story_path(env: dict) -> str:
    done = subprocess.run(
        [PY, "bench/probe.py", "urls"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return json.loads(done.stdout)["article"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- the measurements -------------------------------------------------------------


def bench_origin(env: dict, path: str, duration: str) -> tuple[list[dict], bytes]:
    """Rows 1 and 5 (no response cache) and the story's bytes for nginx."""
    rows = []
    with Server("granian", {**env, "BROADSHEET_RESPONSE_CACHE": "off"}) as site:
        status, headers, body = fetch(site.base + path)
        assert status == 200, status
        assert "X-Broadsheet-Cache" not in headers, headers
        for name, target in (
            ("floor", "/robots.txt"),
            ("uncached article", path),
            ("uncached front", "/"),
        ):
            warm(site.base, target)
            rows.append(measure(name, site.base + target, target, duration))
    return rows, body


def in_process(env: dict, path: str) -> dict:
    """Server time of the uncached rows in process (bench/probe.py queries):
    `cpu_ms` with the memo, cards and story parts warm (what wrk measures),
    `cold_ms` with all of them empty (the first reader after a restart)."""
    done = subprocess.run(
        [PY, "bench/probe.py", "queries", "/robots.txt", path, "/"],
        cwd=ROOT,
        env={**env, "BROADSHEET_RESPONSE_CACHE": "off"},
        check=True,
        capture_output=True,
    )
    measured = json.loads(done.stdout)
    return {
        name: {k: measured[target][k] for k in ("cpu_ms", "cold_ms", "queries")}
        for name, target in (("floor", "/robots.txt"), ("article", path), ("front", "/"))
    }


def bench_nginx(body: bytes, path: str, duration: str) -> dict:
    with Nginx(body, any_port(HOST)) as nginx:
        _status, _headers, served = fetch(nginx.base + path)
        assert served == body, "nginx does not serve the story's bytes"
        warm(nginx.base, path)
        return measure("nginx static", nginx.base + path, path, duration, bytes=len(body))


def bench_shared(env: dict, path: str, duration: str) -> dict:
    """The embedded cache kept in Redis (`shared`): one render serves both
    processes, each hit is a Redis GET of the whole answer."""
    shared_env = {
        **env,
        "BROADSHEET_RESPONSE_CACHE": "shared",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
    }
    with Server("granian", shared_env) as site:
        headers = warm_until(site.base + path, "X-Broadsheet-Cache", "hit")
        warm(site.base, path)
        return measure(
            "embedded shared",
            site.base + path,
            path,
            duration,
            confirmed="X-Broadsheet-Cache: " + headers["X-Broadsheet-Cache"],
        )


def bench_edge(env: dict, path: str, duration: str, publishes: int, intervals: list[float]):
    """Rows 3 and 4, and the publish -> fresh runs, on one site."""
    token = secrets.token_urlsafe(24)
    edge_port = any_port(HOST)
    edge_env = {
        **env,
        "BROADSHEET_RESPONSE_CACHE": "process",
        "BROADSHEET_EDGE_BACKEND": "varnish",
        "BROADSHEET_EDGE_URLS": f"http://{HOST}:{edge_port}",
        "BROADSHEET_EDGE_PURGE_TOKEN": token,
    }
    rows = []
    with (
        Server("granian", edge_env) as site,
        VarnishProcess(backend_port=site.port, purge_token=token, port=edge_port) as varnish,
    ):
        # 4. embedded: straight to the site, the stored answer.
        headers = warm_until(site.base + path, "X-Broadsheet-Cache", "hit")
        warm(site.base, path)
        rows.append(
            measure(
                "embedded",
                site.base + path,
                path,
                duration,
                confirmed="X-Broadsheet-Cache: " + headers["X-Broadsheet-Cache"],
            )
        )
        # 3. Varnish: the cached object.
        headers = warm_until(varnish.url + path, "X-Cache", "HIT")
        _status, _h, body = fetch(varnish.url + path)
        warm(varnish.url, path)
        rows.append(
            measure(
                "Varnish",
                varnish.url + path,
                path,
                duration,
                confirmed=f"X-Cache: {headers['X-Cache']}",
                bytes=len(body),
                cache_control=headers.get("Cache-Control", ""),
            )
        )
        # 6. publish -> fresh.
        fresh = [
            publish_fresh(edge_env, varnish.url, publishes, interval) for interval in intervals
        ]
    return rows, fresh


def publish_fresh(env: dict, edge: str, publishes: int, interval: float) -> dict:
    interval_arg = f"{interval:g}"
    worker = Background(
        env,
        *("db_worker", "--queue-name", "*", "--interval", interval_arg, "--no-reload"),
        log_name="edge-worker.log",
    )
    scheduler = Background(env, "run_scheduler", log_name="edge-scheduler.log")
    helper = Publisher(env)
    samples, loads = [], [loadavg()]
    pk = original = None
    try:
        drained = helper.ask("drain")
        if drained["pending"] or drained["tasks_dropped"]:
            log(
                f"dropped {drained['tasks_dropped']:,} queued tasks, sent "
                f"{drained['pending']:,} queued purge keys ({drained['seconds']} s)"
            )
        _status, _headers, front = fetch(edge + "/")
        pk, original = next(
            (pk, title)
            for pk, title in helper.ask("candidates")
            if title.encode() in front or _escaped(title) in front
        )
        run_id = secrets.token_hex(3)
        log(f"publish -> fresh (worker --interval {interval_arg}): story {pk} {original!r}")
        # The first round (not counted) waits for the worker to start.
        for number in range(publishes + 1):
            title = f"Edge bench {run_id} {number:02d}"
            sample = publish_round(helper, edge, pk, title)
            if number:
                samples.append(sample)
                log(
                    f"  {number}: {sample['fresh_ms']:.0f} ms "
                    f"({sample['polls']} polls, {sample['x_cache']})"
                )
    finally:
        if original is not None and helper.proc.poll() is None:
            helper.ask(f"publish {pk} {original}")  # as it was, even after a failure
        helper.stop()
        worker.stop()
        scheduler.stop()
    loads.append(loadavg())
    times = [s["fresh_ms"] for s in samples if s["fresh_ms"] is not None]
    return {
        "worker_interval_s": interval,
        "publishes": publishes,
        "fresh": len(times),
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p90_ms": round(percentile(times, 0.9), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
        "min_ms": round(min(times), 1) if times else None,
        "publish_ms_p50": round(statistics.median(s["publish_ms"] for s in samples), 1),
        "drained_before": drained["pending"],
        "tasks_dropped": drained["tasks_dropped"],
        "samples": samples,
        "loadavg": loads,
    }


def _escaped(title: str) -> bytes:
    from html import escape

    return escape(title).encode()


def publish_round(helper: Publisher, edge: str, pk: int, title: str) -> dict:
    warm_until(edge + "/", "X-Cache", "HIT")
    # Editors publish at any moment of the worker's polling cycle: without a
    # pause the rounds fall into step with it (the worker goes to sleep after
    # the previous round's tasks, and the next publish comes at the same
    # point of its sleep every time).
    time.sleep(PAUSES.uniform(0, PAUSE_MAX))
    answer = helper.ask(f"publish {pk} {title}")
    committed = answer["committed"]
    wanted = title.encode()
    polls = 0
    while True:
        started = time.time()
        _status, headers, body = fetch(edge + "/")
        polls += 1
        now = time.time()
        if wanted in body:
            return {
                "fresh_ms": round((now - committed) * 1000, 1),
                "polls": polls,
                "x_cache": headers.get("X-Cache", ""),
                "age": headers.get("Age", ""),
                "publish_ms": answer["publish_ms"],
            }
        if now - committed > FRESH_TIMEOUT:
            return {
                "fresh_ms": None,
                "polls": polls,
                "x_cache": headers.get("X-Cache", ""),
                "publish_ms": answer["publish_ms"],
            }
        time.sleep(max(0.0, POLL_SECONDS - (time.time() - started)))


# -- the report ---------------------------------------------------------------------


ORDER = [
    "floor",
    "nginx static",
    "Varnish",
    "embedded",
    "embedded shared",
    "uncached article",
    "uncached front",
]
WHAT = {
    "floor": "`/robots.txt`, no response cache",
    "nginx static": "the story's bytes as a static file (nginx, 2 workers)",
    "Varnish": "the story, `X-Cache: HIT`",
    "embedded": "the story, `X-Broadsheet-Cache: hit` (`process`)",
    "embedded shared": "the story, `X-Broadsheet-Cache: hit` (`shared`, Redis)",
    "uncached article": "the story, `BROADSHEET_RESPONSE_CACHE=off`",
    "uncached front": "the front page, `BROADSHEET_RESPONSE_CACHE=off`",
}


RATIOS = {
    "varnish / nginx": ("Varnish", "nginx static"),
    "embedded / floor": ("embedded", "floor"),
    "embedded shared / floor": ("embedded shared", "floor"),
    "uncached article / floor": ("uncached article", "floor"),
    "uncached front / floor": ("uncached front", "floor"),
}


def ratios(rows: dict) -> dict:
    return {
        name: round(rows[a]["rps"] / rows[b]["rps"], 3)
        for name, (a, b) in RATIOS.items()
        if a in rows and b in rows
    }


def table(raw: dict) -> list[str]:
    rows = {row["name"]: row for row in raw["rows"]}
    lines = [
        "| Row | What | req/s | p50 ms | p99 ms | errors | load avg before → after |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for name in ORDER:
        if name not in rows:
            continue
        r = rows[name]
        lines.append(
            f"| {name} | {WHAT[name]} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{r['errors']} | {' → '.join(r['loadavg'])} |"
        )
    lines += ["", "| Ratio (req/s) | measured | issue's target |", "|---|---:|---:|"]
    for name, value in raw["ratios"].items():
        mark = "" if value >= TARGETS[name] else " (below)"
        lines.append(f"| {name} | {value:.2f}{mark} | ≥ {TARGETS[name]} |")
    lines += [
        "",
        "| publish → fresh through Varnish | publishes | fresh | p50 ms | p90 ms | max ms | "
        "min ms | publish call ms (p50) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for f in raw["fresh"]:
        note = " (bin/serve's)" if f["worker_interval_s"] == SERVE_WORKER_INTERVAL else ""
        lines.append(
            f"| worker `--interval {f['worker_interval_s']:g}`{note} | {f['publishes']} | "
            f"{f['fresh']} | {f['p50_ms']} | {f['p90_ms']} | {f['max_ms']} | {f['min_ms']} | "
            f"{f['publish_ms_p50']} |"
        )
    return lines


def in_process_table(raw: dict) -> list[str]:
    if "in_process" not in raw:
        return []
    lines = [
        "Uncached means no response cache: the content-version memo, the story cards and",
        'the story parts (docs/architecture.md, "Speed") stay warm, as they are for every',
        "reader but the first after a change. In process (bench/probe.py, CPU ms per",
        "request, median of 30; cold: memo, cards and parts emptied before each of 5):",
        "",
        "| Page | warm CPU ms | cold ms | queries |",
        "|---|---:|---:|---:|",
    ]
    for name, row in raw["in_process"].items():
        lines.append(f"| {name} | {row['cpu_ms']} | {row['cold_ms']} | {row['queries']} |")
    return [*lines, ""]


def section(raw: dict) -> str:
    m = raw["machine"]
    story = raw["story"]
    drained = max((f.get("drained_before", 0) for f in raw["fresh"]), default=0)
    dropped = max((f.get("tasks_dropped", 0) for f in raw["fresh"]), default=0)
    head = (
        f"`make bench-edge` (`.venv/bin/python bench/edge.py --duration {raw['duration']} "
        f"--publishes {raw['publishes']}`), {raw['date']} UTC, whole run "
        f"{raw['seconds'] / 60:.1f} min. Machine: {m['nproc']} CPUs, {m['cpu']}, "
        f"{m['ram_gb']} GB RAM, Linux {m['kernel']}, Python {m['python']}, {raw['varnish']}, "
        f"{raw['nginx']}. Load average (1/5/15 min) before {raw['loadavg'][0]}, after "
        f"{raw['loadavg'][1]} (each row's in the table). The demo "
        f"newsroom with {raw['size']:,} stories (var/bench-edge.sqlite3, SQLite), granian "
        f"with {WORKERS} workers, `broadsheet.settings.dev` with `DJANGO_DEBUG=0`; "
        f"`wrk -t2 -c8 -d{raw['duration']} --latency` over loopback after warm-up requests; "
        f"wrk, the site and Varnish or nginx all on the same {m['nproc']} cores. The story: "
        f"`{story['path']}` ({story['bytes']:,} bytes). Varnish is `VarnishProcess` "
        "(deploy/varnish/default.vcl, `thread_pools=1`, malloc 64 MB) in front of the site."
    )
    tail = (
        f"Publish → fresh: {raw['publishes']} publishes per worker setting (after one "
        "uncounted, which waits for the worker to start), each a title change of a story "
        "shown on the front page published as a new revision (`save_revision().publish()` "
        "in one transaction, in a helper process with the site's settings); fresh is the "
        "first answer from Varnish with the new title, polled every 20 ms, timed from the "
        "commit. Each publish comes after the front page is a `HIT` again and a random "
        f"pause of 0–{PAUSE_MAX:g} s (so it lands anywhere in the worker's polling cycle). "
        "The site had `BROADSHEET_EDGE_BACKEND=varnish`, its task worker and "
        "scheduler running."
    )
    if dropped:
        tail += (
            f" Before the first publish the {dropped:,} background tasks the demo build "
            "had left queued were dropped: while they wait the worker is never idle and "
            "any of the old purge tasks among them sends a new publish's keys, so its "
            "polling interval would not count (bench/NOTES.md)."
        )
    if drained:
        tail += (
            f" The {drained:,} purge keys `load_demo` had left queued were sent before the "
            "first publish (see bench/NOTES.md: a backlog delays every purge behind it)."
        )
    lines = [
        SECTION,
        "",
        textwrap.fill(head, 88, break_on_hyphens=False, break_long_words=False),
        "",
        *table(raw),
        "",
        *in_process_table(raw),
        textwrap.fill(tail, 88, break_on_hyphens=False, break_long_words=False),
        "",
    ]
    return "\n".join(lines)


def version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0] if text else "?"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "publisher":
        publisher()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="demo stories (default 1000)")
    parser.add_argument("--duration", default="10s", help="wrk duration per row (default 10s)")
    parser.add_argument("--publishes", type=int, default=20, help="per worker interval")
    parser.add_argument(
        "--worker-intervals",
        type=float,
        nargs="+",
        default=[SERVE_WORKER_INTERVAL, 1.0],
        help=f"db_worker --interval values (default: bin/serve's {SERVE_WORKER_INTERVAL:g}, and 1)",
    )
    parser.add_argument("--no-report", action="store_true", help="leave docs/benchmarks.md")
    parser.add_argument("--json", type=Path, default=VAR / "bench-edge.json")
    parser.add_argument(
        "--report-only", action="store_true", help="write the section from the --json file"
    )
    args = parser.parse_args()
    if args.report_only:
        path = benchmarks_section_write(section(json.loads(args.json.read_text())))
        log(f"wrote {path.relative_to(ROOT)}")
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    started = time.monotonic()
    load_before = loadavg()
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    env = prepare(args.size)
    path = story_path(env)
    log(f"story {path}; load average {load_before}")
    rows, body = bench_origin(env, path, args.duration)
    server_time = in_process(env, path)
    try:
        rows.append(bench_nginx(body, path, args.duration))
    except RuntimeError as error:
        log(f"nginx row skipped: {error}")
    try:
        rows.append(bench_shared(env, path, args.duration))
    except (OSError, RuntimeError) as error:
        log(f"shared row skipped (Redis?): {error}")
    edge_rows, fresh = bench_edge(env, path, args.duration, args.publishes, args.worker_intervals)
    rows += edge_rows
    by_name = {row["name"]: row for row in rows}
    raw = {
        "date": date,
        "machine": machine(),
        "varnish": re.sub(
            r"^varnishd \((varnish-[\d.]+).*", r"\1", version(["/usr/sbin/varnishd", "-V"])
        ),
        "nginx": version(["nginx", "-v"]).replace("nginx version: ", ""),
        "size": args.size,
        "duration": args.duration,
        "publishes": args.publishes,
        "story": {"path": path, "bytes": len(body)},
        "rows": sorted(rows, key=lambda r: ORDER.index(r["name"])),
        "in_process": server_time,
        "ratios": ratios(by_name),
        "fresh": fresh,
        "loadavg": [load_before, loadavg()],
        "seconds": round(time.monotonic() - started, 1),
    }
    args.json.write_text(json.dumps(raw, indent=2))
    print(json.dumps(raw, indent=2))
    print()
    print("\n".join(table(raw)))
    log(f"wrote {args.json}; {raw['seconds']:.0f} s")
    if not args.no_report:
        path = benchmarks_section_write(section(raw))
        log(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
