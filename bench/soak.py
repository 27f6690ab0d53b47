"""`make bench-soak`: ten minutes at 80 % of the site's measured capacity (issue 14).

The demo newsroom of `make bench-edge` (var/bench-edge.sqlite3, 1,000 stories;
built if missing) served as `make run` serves it: `bin/serve` (granian with 2
workers, the task worker, the scheduler), `broadsheet.settings.dev` with
DJANGO_DEBUG=0 and the embedded response cache on (its default). The load is
every public page of bench/probe.py's list (front, stories, section, topic,
author, newsfeed and its deep cursor, feeds, media bank, search, robots.txt),
round robin, by `wrk -t2 -c8` with a Lua script (bench/soak.lua).

1. capacity: --capacity-seconds (20) with no pause: C req/s;
2. calibration: 15 s with a pause per request aimed at 0.8 C, then the pause
   corrected from the rate it gave;
3. soak: --minutes (10) at that pace while a story is republished every 30 s
   (bench/edge.py's publisher: each publish moves the content version, so
   the memo and the embedded cache refill under load, and sends its purges).

Reported: the rate reached, errors (non-2xx/3xx answers and socket errors;
target 0), p50/p99, and the resident memory of the server's processes
(granian and its workers, the task worker, the scheduler) after warming up
and at the end (target: within 10 %). JSON in var/bench-soak.json and the
section "## Soak (issue 14)" of docs/benchmarks.md.

    make bench-soak
    .venv/bin/python bench/soak.py --minutes 1 --no-report
"""

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from edge import Publisher, prepare
from run import ROOT, VAR, Server, _ms, benchmarks_section_write, loadavg, machine

SCRIPT = ROOT / "bench" / "soak.lua"
CONNECTIONS = 8
PUBLISH_EVERY = 30.0


def log(message: str) -> None:
    print(f"[bench-soak] {message}", file=sys.stderr, flush=True)


def pages(env: dict) -> list[str]:
    done = subprocess.run(
        [sys.executable, "bench/probe.py", "urls"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return list(json.loads(done.stdout).values())


def wrk(base: str, paths: list[str], seconds: float, pause_ms: float) -> dict:
    env = {
        **os.environ,
        "SOAK_PATHS": "\n".join(paths),
        "SOAK_PAUSE_MS": f"{pause_ms:.3f}",
    }
    done = subprocess.run(
        [
            "wrk",
            *("-t2", f"-c{CONNECTIONS}", f"-d{int(seconds)}s", "--timeout", "10s"),
            *("--latency", "-s", str(SCRIPT), base),
        ],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr}{done.stdout[-2000:]}")
    out = done.stdout
    result = {
        "seconds": seconds,
        "pause_ms": round(pause_ms, 3),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "errors": 0,
    }
    if non2xx := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        result["errors"] += int(non2xx.group(1))
    if socket_errors := re.search(r"Socket errors: (.*)", out):
        result["errors"] += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return result


def group_rss_mb(pgid: int) -> dict[str, float]:
    """Resident memory of every process in the server's process group, by command."""
    found: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            status = (stat.parent / "status").read_text()
            rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, AttributeError, IndexError, ValueError):
            continue
        name = _process_name([part.decode(errors="replace") for part in command if part])
        found[name] = found.get(name, 0.0) + rss_kb / 1024
    return {name: round(mb, 1) for name, mb in sorted(found.items())}


def _process_name(argv: list[str]) -> str:
    text = " ".join(argv)
    for name in ("db_worker", "run_scheduler", "granian", "uvicorn"):
        if name in text:
            return name
    return Path(argv[0]).name if argv else "?"


class Republisher(threading.Thread):
    """Republishes one of the newest stories every PUBLISH_EVERY seconds."""

    def __init__(self, env: dict):
        super().__init__(daemon=True)
        self.helper = Publisher(env)
        self.stopping = threading.Event()
        self.published = 0
        self.candidates = self.helper.ask("candidates")

    def run(self) -> None:
        while not self.stopping.wait(PUBLISH_EVERY):
            pk, title = self.candidates[self.published % len(self.candidates)]
            self.helper.ask(f"publish {pk} {title.rstrip(' *')} *")
            self.published += 1

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=60)
        self.helper.stop()


def soak(args) -> dict:
    env = prepare(args.size)
    paths = pages(env)
    log(f"{len(paths)} pages: {' '.join(paths)}")
    with Server("bin/serve", env) as site:
        pgid = os.getpgid(site.proc.pid)
        republisher = Republisher(env)
        # load_demo leaves thousands of tasks queued; the site after a real
        # import would have worked through them before its busy hour.
        drained = republisher.helper.ask("drain")
        log(f"queue drained: {drained}")
        wrk(site.base, paths, 5, 0)  # warm: renditions, memo, embedded cache
        capacity = wrk(site.base, paths, args.capacity_seconds, 0)
        target = 0.8 * capacity["rps"]
        log(f"capacity {capacity['rps']:.0f} req/s; aiming at {target:.0f}")
        pause = CONNECTIONS * 1000 / target
        calibration = wrk(site.base, paths, 15, pause)
        # rate = connections / (pause + latency): the latency from what that gave.
        latency = CONNECTIONS * 1000 / calibration["rps"] - pause
        pause = max(0.0, CONNECTIONS * 1000 / target - latency)
        memory_start = group_rss_mb(pgid)
        log(f"soak {args.minutes} min, pause {pause:.1f} ms; memory {memory_start}")
        republisher.start()
        started = time.monotonic()
        result = wrk(site.base, paths, args.minutes * 60, pause)
        republisher.stop()
        memory_end = group_rss_mb(pgid)
        log(f"soak done: {result}; memory {memory_end}")
    start_total, end_total = sum(memory_start.values()), sum(memory_end.values())
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "size": args.size,
        "pages": paths,
        "capacity": capacity,
        "calibration": calibration,
        "soak": result,
        "target_rps": round(target, 1),
        "publishes": republisher.published,
        "memory_start_mb": memory_start,
        "memory_end_mb": memory_end,
        "memory_change": round(end_total / start_total - 1, 4) if start_total else None,
        "seconds": round(time.monotonic() - started, 1),
        "loadavg": loadavg(),
    }


def section(raw: dict) -> str:
    m = raw["machine"]
    soak, capacity = raw["soak"], raw["capacity"]
    start, end = raw["memory_start_mb"], raw["memory_end_mb"]
    names = sorted(set(start) | set(end))
    memory_rows = [
        f"| {name} | {start.get(name, 0):.1f} | {end.get(name, 0):.1f} |" for name in names
    ]
    change = raw["memory_change"]
    return "\n".join(
        [
            "## Soak (issue 14)",
            "",
            f"- Date: {raw['date']} (UTC)",
            f"- Machine: {m['nproc']} CPUs, {m['cpu']}, {m['ram_gb']} GB RAM, Linux {m['kernel']}, "
            f"Python {m['python']}; load average at the end {raw['loadavg']}",
            "- Command: `make bench-soak` (`.venv/bin/python bench/soak.py`): `bin/serve` on "
            f"the {raw['size']:,}-story demo (embedded response cache on), {len(raw['pages'])} "
            "public pages round robin, `wrk -t2 -c8` with a pause per request; a story "
            "republished every 30 s",
            "",
            "| Run | Duration | req/s | p50 ms | p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|",
            f"| capacity (no pause) | {capacity['seconds']:.0f} s | {capacity['rps']:.0f} "
            f"| {capacity['p50']:.1f} | {capacity['p99']:.1f} | {capacity['errors']} |",
            f"| soak at 80 % (target {raw['target_rps']:.0f} req/s) | {soak['seconds'] / 60:.0f} "
            f"min | {soak['rps']:.0f} | {soak['p50']:.1f} | {soak['p99']:.1f} "
            f"| {soak['errors']} |",
            "",
            f"{soak['requests']:,} requests and {raw['publishes']} publishes during the soak.",
            "",
            "| Process (resident memory, MB) | after warm-up | at the end |",
            "|---|---:|---:|",
            *memory_rows,
            f"| **total** | {sum(start.values()):.1f} | {sum(end.values()):.1f} |",
            "",
            f"Memory change over the soak: {change * 100:+.1f} % (target: within ±10 %); "
            f"errors: {soak['errors']} (target 0).",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="demo stories (default 1000)")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--capacity-seconds", type=float, default=20)
    parser.add_argument("--no-report", action="store_true", help="leave docs/benchmarks.md")
    args = parser.parse_args()
    raw = soak(args)
    (VAR / "bench-soak.json").write_text(json.dumps(raw, indent=2))
    print(section(raw))
    if not args.no_report:
        path = benchmarks_section_write(section(raw))
        log(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
