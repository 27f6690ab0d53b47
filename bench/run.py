"""`make bench`: load-test the public pages on a small and a large archive.

For each archive size (100 and 100,000 stories) this

1. prepares its own SQLite database, var/bench-<size>.sqlite3 (migrate and
   `load_demo --articles <size>`; reused when it is already there), with
   uploads in var/bench-media and static files collected into var/bench-static;
   the largest archive also gets a media bank of 10,000 photos
   (`load_demo --bank-photos`, mediabank/demo_bank.py); the bulk-loaded
   stories missing from the search index are added to it
   (`bench/probe.py index-stories`, a few minutes at 100,000, then a no-op);
2. starts the site the way production does, through bin/serve (ASGI server,
   2 workers, DEBUG off, no full-page cache) on a loopback port in 8301-8399;
3. warms each page up, then runs `wrk -t2 -c8 -d10s --latency` against the
   front page, a story, a section, the newsfeed and a newsfeed page 90% of the
   way down the archive (a cursor), the feeds (site RSS, a section's Atom,
   JSON Feed; also reported as "Feed response time at <size> stories"), and
   the media bank (list, search, filters,
   a page 90% down, a photo page) and the story search (a common word and its
   page 5, a rare word, two words, the single letter "a"), recording
   requests/s and p50/p99 latency;
4. counts SQL queries and measures in-process server time per page
   (bench/probe.py, Django's test Client with CaptureQueriesContext).

It then compares the ASGI servers on the story page (granian and uvicorn, 2
workers each), times rendition generation (the standard set of sizes and
formats for 12 new 1600×900 photos, in a scratch database
var/bench-renditions.sqlite3 made afresh), measures discussions (a story
with 5,000 comments in a scratch database var/bench-discussions.sqlite3 made
afresh: the thread page's queries and server time on page 1 and 90% down,
and comment posting throughput), times sign-up with a new and an already
registered address (bench/signup_timing.py, scratch database
var/bench-signup.sqlite3), measures the fan-out of one live story to 1,000,
5,000 and 10,000 subscribers against a bare `websockets` server
(bench/fanout.py, scratch database var/bench-fanout.sqlite3) and writes
everything to docs/benchmarks.md.

    make bench                      # everything
    .venv/bin/python bench/run.py --sizes 100 --duration 5s --no-servers
    .venv/bin/python bench/run.py --only renditions --no-report
    .venv/bin/python bench/run.py --only discussions
    .venv/bin/python bench/run.py --only signup
    .venv/bin/python bench/run.py --only fanout --fanout-sizes 1000 5000 10000

`--only` runs some parts; their results replace those parts in the --json file
and the report is written from the whole file, as `--report-only` does.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from signup_timing import signup_lines

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
# The interpreter running this script (`make bench` runs .venv/bin/python) and its bin/.
PY = sys.executable
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PORTS = range(8301, 8400)
WORKERS = 2
ISSUE_GOAL_RPS = 384  # 3x bakerydemo's ~128 req/s measured on this machine
ISSUE_GOAL_MS = 15


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def django_env(name: int | str, media: str = "bench-media") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="broadsheet.settings.dev",
        DJANGO_DEBUG="0",
        DATABASE_URL=f"sqlite:///{VAR / f'bench-{name}.sqlite3'}",
        MEDIA_ROOT=str(VAR / media),
        BROADSHEET_PRIVATE_MEDIA_ROOT=str(VAR / f"{media}-private"),
        STATIC_ROOT=str(VAR / "bench-static"),
        REDIS_URL="",
        # Rendering is what these rows measure; the embedded response cache
        # (on by default) is measured by bench/edge.py.
        BROADSHEET_RESPONSE_CACHE="off",
        LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(size: int, bank_photos: int = 0) -> dict:
    env = django_env(size)
    ready = VAR / f"bench-{size}.ready"
    if ready.exists() and (VAR / f"bench-{size}.sqlite3").exists():
        log(f"archive of {size}: reusing var/bench-{size}.sqlite3")
        env["BENCH_LOAD_SECONDS"] = ready.read_text().strip()
        manage(env, "migrate", "--noinput", "-v0")  # it may predate new migrations
        if bank_photos:
            probe(env, "bank", str(bank_photos))
    else:
        log(f"archive of {size}: building var/bench-{size}.sqlite3")
        start = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0")
        bank = ("--bank-photos", str(bank_photos)) if bank_photos else ()
        manage(env, "load_demo", "--articles", str(size), *bank, "--no-progress")
        seconds = f"{time.monotonic() - start:.0f}"
        ready.write_text(seconds)
        env["BENCH_LOAD_SECONDS"] = seconds
    # The archive is bulk-loaded: its stories are not in the search index
    # until this adds them (~2 s per 1,000 stories; two COUNTs when done).
    indexed = probe(env, "index-stories", progress=True)
    log(
        f"archive of {size}: {indexed['indexed']:,} of {indexed['live']:,} live stories "
        f"in the search index ({indexed['added']:,} added, {indexed['seconds']} s)"
    )
    # The site's scheduler gathers SQLite's planner statistics within a
    # pass of starting; an archive reused from an older run may predate that.
    probe(env, "analyze")
    manage(env, "collectstatic", "--noinput", "-v0")
    # Pages never make renditions themselves; a benchmark measures them made.
    # The bank build has made the demo photos' and copied them to its own;
    # make_renditions would check its 10,000 photos one by one (~100 s).
    if not bank_photos:
        manage(env, "make_renditions", "--no-progress")
    return env


def probe(env: dict, *args: str, progress: bool = False):
    """Run bench/probe.py; its JSON answer. `progress` lets its stderr through."""
    out = subprocess.run(
        [PY, "bench/probe.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        stderr=None if progress else subprocess.PIPE,
    )
    return json.loads(out.stdout)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8301-8399")


def server_command(kind: str, port: int) -> list[str]:
    if kind == "bin/serve":
        return [str(ROOT / "bin" / "serve")]
    if kind == "granian":
        return [
            str(BIN / "granian"),
            *("--interface", "asginl", "--host", HOST, "--port", str(port)),
            *("--workers", str(WORKERS), "--no-ws", "--log-level", "warning"),
            "broadsheet.asgi:application",
        ]
    if kind == "uvicorn":
        return [
            str(BIN / "uvicorn"),
            *("--host", HOST, "--port", str(port), "--workers", str(WORKERS)),
            *("--no-access-log", "--log-level", "warning", "--lifespan", "off"),
            "broadsheet.asgi:application",
        ]
    raise ValueError(kind)


class Server:
    """One server process group on a loopback port; stopped by its own group id."""

    def __init__(self, kind: str, env: dict):
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        env = {**env, "HOST": HOST, "PORT": str(self.port), "WEB_CONCURRENCY": str(WORKERS)}
        env["LOG_DIR"] = str(VAR / "bench-logs")
        (VAR / "bench-logs").mkdir(exist_ok=True)
        self.proc = subprocess.Popen(
            server_command(kind, self.port), cwd=ROOT, env=env, start_new_session=True
        )

    def wait(self, path: str = "/robots.txt", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError("server did not come up")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self):
        try:
            self.wait()
        except Exception:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()


def warm(base: str, path: str, count: int = 40) -> int:
    status = 0
    for _ in range(count):
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
            status = response.status
    return status


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, duration: str, connections: int = 8, threads: int = 2) -> dict:
    out = subprocess.run(
        [
            "wrk",
            *(f"-t{threads}", f"-c{connections}", f"-d{duration}", "--timeout", "10s"),
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "errors": 0,
    }
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if non2xx:
        result["errors"] += int(non2xx.group(1))
    if socket_errors:
        result["errors"] += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return result


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def bench_size(size: int, duration: str, bank_photos: int = 0) -> dict:
    env = prepare(size, bank_photos)
    counts = probe(env, "counts")
    urls = probe(env, "urls")
    stats = probe(env, "queries", *urls.values())
    rows = []
    with Server("bin/serve", env) as server:
        for name, path in urls.items():
            status = warm(server.base, path)
            log(f"{size}: wrk {name} {path}")
            result = wrk(server.base + path, duration)
            rows.append(
                {
                    "name": name,
                    "path": path,
                    "status": status,
                    **result,
                    "queries": stats[path]["queries"],
                    "server_ms": stats[path]["median_ms"],
                    "cpu_ms": stats[path]["cpu_ms"],
                    "cold_ms": stats[path].get("cold_ms"),
                    "queries_first": stats[path].get("queries_first"),
                    "loadavg": loadavg(),
                }
            )
    return {
        "size": size,
        "photos": counts["photos"],
        "load_seconds": env.get("BENCH_LOAD_SECONDS"),
        "rows": rows,
    }


def bench_servers(size: int, duration: str, bank_photos: int = 0) -> list[dict]:
    env = prepare(size, bank_photos)
    urls = probe(env, "urls")
    out = []
    for kind in ("granian", "uvicorn"):
        with Server(kind, env) as server:
            for name in ("article", "front"):
                path = urls[name]
                warm(server.base, path)
                log(f"servers: {kind} {name}")
                out.append({"server": kind, "page": name, **wrk(server.base + path, duration)})
    return out


def bench_renditions(photos: int) -> dict:
    """Rendition generation on a scratch database and media folder, both made afresh."""
    env = django_env("renditions", media="bench-renditions-media")
    (VAR / "bench-renditions.sqlite3").unlink(missing_ok=True)
    shutil.rmtree(VAR / "bench-renditions-media", ignore_errors=True)
    shutil.rmtree(VAR / "bench-renditions-media-private", ignore_errors=True)
    log("renditions: migrating var/bench-renditions.sqlite3")
    manage(env, "migrate", "--noinput", "-v0")
    log(f"renditions: {photos} photos")
    loads = [loadavg()]
    result = probe(env, "renditions", str(photos))
    return {**result, "loadavg": [*loads, loadavg()]}


def bench_discussions(comments: int, posts: int) -> dict:
    """A thread of `comments` comments and `posts` posts, on a scratch database
    and media folder made afresh (a small demo newsroom: 20 stories, 2 photos)."""
    env = django_env("discussions", media="bench-discussions-media")
    (VAR / "bench-discussions.sqlite3").unlink(missing_ok=True)
    shutil.rmtree(VAR / "bench-discussions-media", ignore_errors=True)
    log("discussions: migrating and loading var/bench-discussions.sqlite3")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "--articles", "20", "--photos", "2", "--no-progress")
    manage(env, "collectstatic", "--noinput", "-v0")
    log(f"discussions: {comments} comments, {posts} posts")
    loads = [loadavg()]
    result = probe(env, "discussions", str(comments), str(posts))
    return {**result, "loadavg": [*loads, loadavg()]}


def bench_signup(count: int) -> dict:
    """Sign-up timing on a scratch database made afresh (bench/signup_timing.py)."""
    env = django_env("signup", media="bench-signup-media")
    # Up to 2 × (count + 1) sign-ups from one address: allauth's per-IP limit
    # would refuse most of them (this database only; the site's default stays).
    env["ACCOUNT_RATE_LIMIT_SIGNUP"] = "100000/m/ip"
    (VAR / "bench-signup.sqlite3").unlink(missing_ok=True)
    log("signup: migrating var/bench-signup.sqlite3")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo", "--articles", "1", "--photos", "1", "--no-progress")
    manage(env, "collectstatic", "--noinput", "-v0")
    log(f"signup: {count} sign-ups of each kind")
    loads = [loadavg()]
    out = subprocess.run(
        [PY, "bench/signup_timing.py", str(count)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
    )
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    return {**json.loads(out.stdout), "loadavg": [*loads, loadavg()], "date": date}


def _short(path: str) -> str:
    return path if len(path) <= 48 else path[:45] + "…"


def _cold(row: dict) -> str:
    if row.get("cold_ms") is None:
        return "–"
    return f"{row['cold_ms']:.1f} / {row['queries_first']}"


def write_report(
    results: list[dict],
    servers: list[dict],
    renditions: dict | None,
    args,
    started: str,
    discussions: dict | None = None,
    signup: dict | None = None,
    fanout: dict | None = None,
) -> Path:
    m = machine()
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py); re-run it to refresh this file.",
        "",
        f"- Date: {started} (UTC)",
        f"- Machine: {m['nproc']} CPUs, {m['cpu']}, {m['ram_gb']} GB RAM, "
        f"Linux {m['kernel']}, Python {m['python']}",
        f"- Command: `make bench` (`.venv/bin/python bench/run.py`; sizes "
        f"{', '.join(str(r['size']) for r in results)})",
        f"- Load: `wrk -t2 -c8 -d{args.duration} --latency` over loopback, after 40 warm-up "
        "requests per page",
        f"- Server: `bin/serve` ({WORKERS} workers, `WEB_CONCURRENCY={WORKERS}`), "
        "`broadsheet.settings.dev` with `DJANGO_DEBUG=0`, SQLite, no full-page cache",
        "- Queries and server time: Django's test Client in process "
        "(bench/probe.py; median of 30 requests after one warm-up, no network, no queueing); "
        "'memo empty' is the median of 5 requests each made right after clearing the "
        "per-process memo, as the first reader after a publish meets it",
        "",
        f"Goal (issue): story page ≥ {ISSUE_GOAL_RPS} req/s (3× bakerydemo's ~128 req/s with "
        f"the same wrk load on this machine), < {ISSUE_GOAL_MS} ms server time at the median, "
        "and no page whose cost grows with the archive.",
        "",
    ]
    for result in results:
        built = f", built in {result['load_seconds']} s" if result.get("load_seconds") else ""
        photos = f" and {result['photos']:,} photos" if result.get("photos") else ""
        lines += [
            f"## Archive of {result['size']:,} stories{photos}{built}",
            "",
            "| Page | Path | req/s | p50 ms | p99 ms | errors | SQL queries | server ms "
            "(median) | server CPU ms | memo empty: ms / queries | load avg |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in result["rows"]:
            lines.append(
                f"| {row['name']} | `{_short(row['path'])}` | {row['rps']:.0f} | "
                f"{row['p50']:.1f} | {row['p99']:.1f} | {row['errors']} | {row['queries']} | "
                f"{row['server_ms']:.1f} | {row['cpu_ms']:.1f} | {_cold(row)} | "
                f"{row['loadavg']} |"
            )
        lines.append("")
    lines += feed_lines(results)
    if servers:
        lines += [
            "## ASGI server comparison",
            "",
            f"Same database ({args.server_size:,} stories), {WORKERS} workers each, "
            f"`wrk -t2 -c8 -d{args.duration}`.",
            "",
            "| Server | Page | req/s | p50 ms | p99 ms | errors |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for row in servers:
            lines.append(
                f"| {row['server']} | {row['page']} | {row['rps']:.0f} | {row['p50']:.1f} | "
                f"{row['p99']:.1f} | {row['errors']} |"
            )
        lines.append("")
    if renditions:
        lines += rendition_lines(renditions)
    if discussions:
        lines += discussion_lines(discussions)
    if signup:
        lines += signup_lines(signup)
    if fanout:
        from fanout import fanout_lines

        lines += fanout_lines(fanout)
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text().strip(), ""]
    path = ROOT / "docs" / "benchmarks.md"
    path.parent.mkdir(exist_ok=True)
    text = "\n".join(lines)
    if path.exists():
        text = (
            text.rstrip()
            + "\n"
            + "".join("\n" + block for block in sections_of_other_benches(path.read_text(), text))
        )
    path.write_text(text)
    return path


def benchmarks_section_write(block: str) -> Path:
    """Put a benchmark's section into docs/benchmarks.md: replace the section
    with the same "## " heading (the block's first line) if there is one,
    else append it. Used by the benchmarks that write one section each."""
    path = ROOT / "docs" / "benchmarks.md"
    heading = block.splitlines()[0]
    text = path.read_text()
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block.rstrip() + "\n\n", text)
    else:
        text = text.rstrip() + "\n\n" + block
    path.write_text(text.rstrip() + "\n")
    return path


def sections_of_other_benches(old: str, new: str) -> list[str]:
    """The sections other benchmarks wrote into docs/benchmarks.md (make
    bench-editions, bench-edge, bench-drills: "## <what> (issue N)"), which
    this run does not write: kept as they were, in their order."""
    written = set(re.findall(r"^## .*$", new, re.M))
    blocks = re.findall(r"^## .*?(?=^## |\Z)", old, re.S | re.M)
    return [
        block.rstrip() + "\n"
        for block in blocks
        if re.match(r"## .*\(issue \d+\)\n", block) and block.splitlines()[0] not in written
    ]


def feed_lines(results: list[dict]) -> list[str]:
    """The feeds' rows of the largest archive again, on their own: what a
    feed reader polling the site meets (news/feeds/, memoised per content
    version, 304 for an unchanged ETag; wrk asks without one)."""
    if not results:
        return []
    largest = max(results, key=lambda r: r["size"])
    rows = [row for row in largest["rows"] if row["name"].startswith("feed: ")]
    if not rows:
        return []
    lines = [
        f"## Feed response time at {largest['size']:,} stories",
        "",
        "50 stories a feed, whatever the archive's size; the entries are built once per "
        "process and content version ('memo empty' is that first build).",
        "",
        "| Feed | Path | req/s | p50 ms | p99 ms | SQL queries | server ms (median) | "
        "memo empty: ms / queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name'].removeprefix('feed: ')} | `{_short(row['path'])}` | "
            f"{row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | {row['queries']} | "
            f"{row['server_ms']:.1f} | {_cold(row)} |"
        )
    lines.append("")
    return lines


def rendition_lines(r: dict) -> list[str]:
    settings = ", ".join(f"`{name}={value}`" for name, value in r["settings"].items())
    lines = [
        "## Rendition generation",
        "",
        f"The standard renditions (`renditions.ALL_SPECS`: {r['renditions_per_photo']} files, "
        "8 sizes in AVIF, WebP and JPEG, the social card and the web copy) of "
        f"{r['photos']} new photos, each a {r['image']}, made one photo at a time by "
        "`photo_renditions_generate` as the task worker runs it "
        "(`bench/probe.py renditions`, one process, `broadsheet.settings.dev`, "
        f"`.venv/bin/python bench/run.py --only renditions`). Settings: {settings}. "
        f"Load average before and after: {' / '.join(r['loadavg'])}.",
        "",
        f"- **{r['photos_per_s']:.2f} photos/s** per process ({r['seconds']:.1f} s for "
        f"{r['photos']} photos), median {r['median_ms']:.0f} ms a photo, "
        f"{r['cpu_ms']:.0f} ms of CPU (Wagtail encodes a photo's renditions on 3 threads)",
        "",
        "By format (the same pictures again as new photos, one format's specs at a time; "
        "medians per photo):",
        "",
        "| Format | renditions | ms | ms per rendition | CPU ms | CPU ms per rendition "
        "| KB per rendition (mean) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in r["formats"].items():
        lines.append(
            f"| {name} | {row['renditions']} | {row['median_ms']:.0f} | "
            f"{row['ms_per_rendition']:.0f} | {row['cpu_ms']:.0f} | "
            f"{row['cpu_ms_per_rendition']:.0f} | {row['kb_per_rendition']:.1f} |"
        )
    lines.append("")
    return lines


def discussion_lines(d: dict) -> list[str]:
    p = d["posts"]
    lines = [
        "## Discussions",
        "",
        f"A story with {d['comments']:,} comments ({d['top_level']:,} top-level, the rest "
        f"replies to every fourth of them; {d['page_size']} top-level comments a page), "
        "bulk-created from the discussions factory's model in a scratch database "
        f"(var/bench-discussions.sqlite3, made afresh, {d['build_seconds']:.1f} s to build; "
        "`.venv/bin/python bench/run.py --only discussions`, `bench/probe.py discussions`, "
        "one process, `broadsheet.settings.dev` with `DJANGO_DEBUG=0`, SQLite). The thread "
        "page `/discussions/<id>/` in process (Django's test Client, median of 30 after a "
        "warm-up): page 1 and a cursor 90% down the thread, as the full page and as the "
        "htmx fragment (`HX-Request: true`), anonymous and signed in as a verified reader. "
        f"Load average before and after: {' / '.join(d['loadavg'])}.",
        "",
        "| Reader | Page | SQL queries | server ms (median) | server CPU ms | KB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in d["pages"]:
        lines.append(
            f"| {row['who']} | {row['name']} | {row['queries']} | {row['median_ms']:.1f} | "
            f"{row['cpu_ms']:.1f} | {row['bytes'] / 1024:.0f} |"
        )
    lines += [
        "",
        f"Posting: **{p['per_s']:.0f} comments/s** ({p['count']} `comment_post` calls by one "
        f"verified reader, each in its own transaction as a POST runs; {p['seconds']:.2f} s), "
        f"median {p['median_ms']:.1f} ms, p95 {p['p95_ms']:.1f} ms, {p['queries']:g} queries "
        "a post. The service alone: no HTTP, CSRF or template (the htmx answer renders one "
        "comment). Rate limits off for this measurement only: the probe saves the scratch "
        "database's DiscussionSettings with no interval between posts, no per-period cap and "
        "no burst hold; the site's defaults (20 s between comments per reader and per IP, "
        "10 per 10 minutes, hold after 5 in 5 minutes) are unchanged.",
        "",
    ]
    return lines


def splice_report(fanout: dict) -> Path:
    """`--only fanout` with no earlier raw results (var/bench-results.json is
    not kept in git): the other sections of docs/benchmarks.md stay as they
    are; the fan-out section is replaced and bench/NOTES.md appended afresh."""
    from fanout import fanout_lines

    path = ROOT / "docs" / "benchmarks.md"
    notes = (ROOT / "bench" / "NOTES.md").read_text().strip()
    text = path.read_text()
    head = text[: text.find(notes.splitlines()[0])] if notes.splitlines()[0] in text else text
    head = re.sub(r"## Live fan-out \(issue 11\)\n.*?(?=^## |\Z)", "", head, flags=re.S | re.M)
    lines = [head.rstrip(), "", *fanout_lines(fanout), notes, ""]
    path.write_text("\n".join(lines))
    return path


PARTS = ("pages", "servers", "renditions", "discussions", "signup", "fanout")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--server-size", type=int, default=100_000)
    parser.add_argument("--no-servers", action="store_true", help="skip the ASGI comparison")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PARTS,
        default=PARTS,
        help="run only these parts; the rest of the report comes from the --json file",
    )
    parser.add_argument(
        "--bank-photos",
        type=int,
        default=10_000,
        help="media bank photos in the archive of --bank-size stories (default 10000)",
    )
    parser.add_argument(
        "--bank-size",
        type=int,
        default=100_000,
        help="the archive size that gets the media bank of --bank-photos (default 100000)",
    )
    parser.add_argument("--rendition-photos", type=int, default=12)
    parser.add_argument("--discussion-comments", type=int, default=5000)
    parser.add_argument("--discussion-posts", type=int, default=300)
    parser.add_argument("--signups", type=int, default=30, help="sign-ups of each kind")
    parser.add_argument(
        "--fanout-sizes",
        type=int,
        nargs="+",
        default=[1000, 5000, 10_000],
        help="live-story subscribers held at once (bench/fanout.py)",
    )
    parser.add_argument(
        "--no-report", action="store_true", help="write the --json file, not docs/benchmarks.md"
    )
    parser.add_argument(
        "--json", type=Path, default=VAR / "bench-results.json", help="raw results (written)"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite docs/benchmarks.md from the --json file of an earlier run",
    )
    args = parser.parse_args()
    if args.report_only:
        raw = json.loads(args.json.read_text())
        if not raw.get("results") and raw.get("fanout"):
            path = splice_report(raw["fanout"])
            log(f"wrote {path.relative_to(ROOT)} (the fan-out section; the rest kept)")
            return
        args.duration = raw.get("duration", args.duration)
        args.server_size = raw.get("server_size", args.server_size)
        path = write_report(
            raw["results"],
            raw["servers"],
            raw.get("renditions"),
            args,
            raw["started"],
            raw.get("discussions"),
            raw.get("signup"),
            raw.get("fanout"),
        )
        log(f"wrote {path.relative_to(ROOT)}")
        return
    parts = set(args.only) - ({"servers"} if args.no_servers else set())
    if parts & {"pages", "servers"} and shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    VAR.mkdir(exist_ok=True)
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    partial = set(args.only) != set(PARTS)
    raw = json.loads(args.json.read_text()) if partial and args.json.exists() else {}
    raw.setdefault("results", [])
    raw.setdefault("servers", [])
    raw["started"] = started
    if parts & {"pages", "servers"}:
        raw["duration"] = args.duration
    args.duration = raw.get("duration", args.duration)

    def bank(size: int) -> int:
        return args.bank_photos if size == args.bank_size else 0

    if "pages" in parts:
        raw["results"] = [bench_size(size, args.duration, bank(size)) for size in args.sizes]
    if "servers" in parts:
        raw["servers"] = bench_servers(args.server_size, args.duration, bank(args.server_size))
        raw["server_size"] = args.server_size
    if "renditions" in parts:
        raw["renditions"] = bench_renditions(args.rendition_photos)
    if "discussions" in parts:
        raw["discussions"] = bench_discussions(args.discussion_comments, args.discussion_posts)
    if "signup" in parts:
        raw["signup"] = bench_signup(args.signups)
    if "fanout" in parts:
        from fanout import bench_fanout

        raw["fanout"] = bench_fanout(args.fanout_sizes)
    args.json.write_text(json.dumps(raw, indent=2))
    log(f"wrote {args.json}")
    if not args.no_report and parts == {"fanout"} and not raw["results"]:
        path = splice_report(raw["fanout"])
        log(f"wrote {path.relative_to(ROOT)} (the fan-out section; the rest kept)")
    elif not args.no_report:
        args.server_size = raw.get("server_size", args.server_size)
        path = write_report(
            raw["results"],
            raw["servers"],
            raw.get("renditions"),
            args,
            started,
            raw.get("discussions"),
            raw.get("signup"),
            raw.get("fanout"),
        )
        log(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
