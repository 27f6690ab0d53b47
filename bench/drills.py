"""`make bench-drills`: the fault drills of issue 14, at full count.

Publish-kill: broadsheet/news/drills.py `drill_run` with --rounds (default
50) publishing processes, each SIGKILLed at a random moment of its publish
through the admin's edit view; every story must be wholly published (live
revision, publish log entry, content versions moved, its edge purge queued,
the newsfeed announcement) or wholly absent. On a SQLite database file of
its own (var/bench-drill.sqlite3, made afresh) and, when --postgres names a
server (default postgres://postgres@127.0.0.1:5432, if it answers), on a
scratch database `broadsheet_drill` made and dropped there.

It prints the results and writes the section "## Fault drills (issue 14)" of
docs/benchmarks.md (replaced if there, else appended).

    make bench-drills
    .venv/bin/python bench/drills.py --rounds 10 --no-report
"""

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, VAR, benchmarks_section_write, machine

sys.path.insert(0, str(ROOT))

PY = sys.executable
SECTION = "## Fault drills (issue 14)"
SCRATCH = "broadsheet_drill"


def log(message: str) -> None:
    print(f"[drills] {message}", file=sys.stderr, flush=True)


def site_env(database_url: str, work: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings.dev",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(work / "media"),
        "BROADSHEET_PRIVATE_MEDIA_ROOT": str(work / "private-media"),
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def drill(engine: str, database_url: str, rounds: int) -> dict:
    from broadsheet.news.drills import drill_run

    work = Path(tempfile.mkdtemp(prefix="broadsheet-drill-", dir="/dev/shm"))
    try:
        env = site_env(database_url, work)
        log(f"{engine}: migrate and set up")
        manage(env, "migrate", "--noinput", "-v0")
        subprocess.run([PY, "-m", "broadsheet.news.drills", "setup"], cwd=ROOT, env=env, check=True)
        log(f"{engine}: {rounds} publishes, each killed at a random moment")
        started = time.monotonic()
        result = drill_run(rounds=rounds, env=env, workdir=work)
        result["seconds"] = round(time.monotonic() - started, 1)
        result["engine"] = engine
        result["rounds"] = rounds
        log(f"{engine}: {json.dumps(result)}")
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def postgres_answers(server: str) -> bool:
    done = subprocess.run(
        ["psql", f"{server}/postgres", "-Atc", "SELECT 1"], capture_output=True, check=False
    )
    return done.returncode == 0


def psql(server: str, sql: str) -> None:
    subprocess.run(["psql", f"{server}/postgres", "-qc", sql], check=True, capture_output=True)


def section(raw: dict) -> str:
    lines = [
        SECTION,
        "",
        f"- Date: {raw['date']} (UTC)",
        "- Machine: {nproc} CPUs, {cpu}, {ram_gb} GB RAM, Linux {kernel}, Python {python}".format(
            **raw["machine"]
        ),
        "- Command: `make bench-drills` (`.venv/bin/python bench/drills.py`)",
        "",
        "Publish-kill: each round starts a process that creates a draft story, then publishes",
        "it through the admin's edit view (the whole middleware stack, as a server process",
        "runs it) and is SIGKILLed at a random moment between 0 and 1.2x the duration of an",
        "unkilled publish. The next process checks the killed one: every trace of the",
        "publish (live revision, publish log entry, content versions moved by exactly one",
        "publish, the story's edge purge queued, the newsfeed announcement) or none.",
        "",
        "| Database | Rounds | Published whole | Absent whole | Half-done | Publish "
        "(unkilled) | Run |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in raw["results"]:
        lines.append(
            f"| {r['engine']} | {r['rounds']} | {r['published']} | {r['absent']} "
            f"| {len(r['problems'])} | {r['publish_seconds'] * 1000:.0f} ms "
            f"| {r['seconds']:.0f} s |"
        )
    problems = [p for r in raw["results"] for p in r["problems"]]
    lines += ["", "Half-done publishes: " + ("; ".join(problems) if problems else "none."), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--no-report", action="store_true", help="leave docs/benchmarks.md")
    args = parser.parse_args()
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    VAR.mkdir(exist_ok=True)
    database = VAR / "bench-drill.sqlite3"
    for path in VAR.glob("bench-drill.sqlite3*"):
        path.unlink()
    results = [drill("SQLite", f"sqlite:///{database}", args.rounds)]
    if args.postgres and postgres_answers(args.postgres):
        psql(args.postgres, f"DROP DATABASE IF EXISTS {SCRATCH}")
        psql(args.postgres, f"CREATE DATABASE {SCRATCH}")
        try:
            results.append(drill("PostgreSQL", f"{args.postgres}/{SCRATCH}", args.rounds))
        finally:
            psql(args.postgres, f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    else:
        log("PostgreSQL: no server answers at --postgres; skipped")
    raw = {"date": date, "machine": machine(), "results": results}
    (VAR / "bench-drills.json").write_text(json.dumps(raw, indent=2))
    print(section(raw))
    if not args.no_report:
        path = benchmarks_section_write(section(raw))
        log(f"wrote {path.relative_to(ROOT)}")
    if any(r["problems"] for r in results):
        raise SystemExit("half-done publishes found")


if __name__ == "__main__":
    main()
