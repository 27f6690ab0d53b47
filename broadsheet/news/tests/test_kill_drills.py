"""Processes SIGKILLed in the middle of their work (issue 14; news/drills.py).

- Publishing: processes killed at random moments of a publish leave every
  story wholly published or wholly not (`make bench-drills` runs 50).
- The task worker killed while it sends edge purges: the scheduler's next
  pass sends them all; none is lost. (A purge sent twice purges twice,
  which changes nothing: no exactly-once is needed.)

On SQLite the processes share a database file of their own (the test
database is in memory), copied per test from one migrated once; on
PostgreSQL they use the test database.
"""

import shutil
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from broadsheet.core.testing import postgres_url_of_test_database
from broadsheet.news.drills import drill_run
from broadsheet.news.tests.browser_fixtures import REPO, _run, _work_dir, site_env

ROUNDS = 6
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("wagtail_root")]


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    """A migrated SQLite database file, made once per module."""
    root = _work_dir(tmp_path_factory)
    try:
        env = site_env(root, "http://127.0.0.1:8000")
        _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, root / "migrate.log")
        yield root / "site.sqlite3"
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def drill_env(request, tmp_path_factory):
    """The environment of the drill's processes: a set-up newsroom
    (news/drills.py `setup`) in a database of the test's own."""
    root = _work_dir(tmp_path_factory)
    env = site_env(root, "http://127.0.0.1:8000")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = postgres_url_of_test_database()
    else:
        shutil.copy(request.getfixturevalue("sqlite_template"), root / "site.sqlite3")
    env["DJANGO_ALLOWED_HOSTS"] = "testserver"
    env["ROOT"] = str(root)
    try:
        drills(["setup"], env)
        yield env
    finally:
        shutil.rmtree(root, ignore_errors=True)


def drills(args, env, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "broadsheet.news.drills", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        **kwargs,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_a_publish_killed_at_any_moment_is_all_there_or_not_at_all(drill_env):
    result = drill_run(rounds=ROUNDS, env=drill_env, workdir=Path(drill_env["ROOT"]))
    assert result["problems"] == [], result
    assert result["published"] + result["absent"] == ROUNDS
    print(f"publish-kill drill: {result}")  # noqa: T201


class HoldingEdge:
    """A Varnish stand-in that keeps its first purge request unanswered
    (the worker is killed while it waits) and answers every later one."""

    def __init__(self):
        self.received = threading.Event()
        self.release = threading.Event()
        self.answered: list[tuple[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802
                header = "xkey-purge" if self.headers.get("xkey-purge") else "xkey-softpurge"
                keys = self.headers.get(header, "")
                if not outer.received.is_set():
                    outer.received.set()
                    outer.release.wait(30)
                    return  # the worker is dead by now: no answer
                outer.answered += [(header, key) for key in keys.split()]
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_a_worker_killed_while_purging_loses_no_purge(drill_env):
    edge = HoldingEdge()
    env = {
        **drill_env,
        "BROADSHEET_EDGE_BACKEND": "varnish",
        "BROADSHEET_EDGE_URLS": edge.url,
        "BROADSHEET_EDGE_PURGE_TOKEN": "drill-token",
    }
    try:
        # One whole publish: its keys and the task that sends them are queued.
        publisher = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "broadsheet.news.drills", "publish"],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        out, _ = publisher.communicate("go\n", timeout=120)
        assert '"published"' in out, out
        queued = set(drills(["pending"], env).stdout.split())
        assert queued

        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert edge.received.wait(60), "the worker never sent the purge"
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        finally:
            if worker.poll() is None:
                worker.kill()
        edge.release.set()
        assert set(drills(["pending"], env).stdout.split()) == queued

        subprocess.run(
            [sys.executable, "manage.py", "run_scheduler", "--once"],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=True,
            timeout=120,
        )
        assert drills(["pending"], env).stdout.split() == []
        assert {key for _, key in edge.answered} == queued
    finally:
        edge.close()
