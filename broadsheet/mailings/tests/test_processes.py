"""Exactly once, as processes: real task workers (`manage.py db_worker`) on a
database file send a digest to a real SMTP server; one is SIGKILLed mid-send
and the send resumes; two race on one send. Every recipient gets one copy.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest

from broadsheet.core.smtp_sink import SmtpSink
from broadsheet.news.tests.browser_fixtures import REPO, _run, _work_dir, site_env

RECIPIENTS = 300


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated SQLite file; each test works on a copy."""
    root = _work_dir(tmp_path_factory)
    env = site_env(root, "http://127.0.0.1:8000")
    _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, root / "migrate.log")
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def mail_site(request, migrated, tmp_path):
    env = site_env(migrated, "http://127.0.0.1:8000")
    env.update(
        {
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "MAILINGS_LEASE_SECONDS": "2",
            "MAILINGS_BATCH_SIZE": "20",
            "MAILINGS_RATE_PER_SECOND": "0",
            "LOG_LEVEL": "ERROR",
            "DJANGO_SETTINGS_MODULE": "broadsheet.settings.dev",
        }
    )
    if request.param == "sqlite":
        database = tmp_path / "site.sqlite3"
        shutil.copy(migrated / "site.sqlite3", database)
        env["DATABASE_URL"] = f"sqlite:///{database}"
        yield env
        return
    url = _postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL does not name a PostgreSQL database")
    import psycopg

    name = f"mailings_{uuid.uuid4().hex[:10]}"
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"{server}/{name}"
    _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, tmp_path / "migrate.log")
    try:
        yield env
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage_shell(env, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def send_create(env) -> int:
    return int(
        manage_shell(
            env,
            "from broadsheet.mailings.loadtest import loadtest_send_create as c; "
            f"print(c(subscribers={RECIPIENTS}, stories=1))",
        )
    )


def report(env, send_id: int) -> dict:
    import json

    return json.loads(
        manage_shell(
            env,
            "import json; from broadsheet.mailings.loadtest import loadtest_report as r; "
            f"print(json.dumps(r(send_id={send_id})))",
        )
    )


def worker(env, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.1"],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def copies(sink: SmtpSink) -> Counter:
    with sink.lock:
        return Counter(rcpt for _, rcpts in sink.envelopes for rcpt in rcpts)


def wait_quiet(sink: SmtpSink, count: int, timeout: float = 90) -> None:
    sink.wait_for(count, timeout=timeout)
    time.sleep(0.5)  # anything more (a duplicate) would arrive now


def test_a_worker_killed_mid_send_is_resumed_and_nobody_gets_two(mail_site, tmp_path):
    with SmtpSink() as sink:
        env = {**mail_site, "EMAIL_URL": f"smtp://{sink.host}:{sink.port}"}
        send_id = send_create(env)
        with (tmp_path / "worker.log").open("ab") as log:
            first = worker(env, log)
            try:
                sink.wait_for(RECIPIENTS // 3, timeout=90)
                first.send_signal(signal.SIGKILL)
                first.wait()
            finally:
                stop(first)
            killed_at = len(sink.messages)
            assert killed_at < RECIPIENTS
            # The dead worker's task never finishes; the scheduler queues the
            # send again once its lease has expired.
            time.sleep(2.5)
            subprocess.run(
                [sys.executable, "manage.py", "run_scheduler", "--once"],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=120,
            )
            second = worker(env, log)
            try:
                wait_quiet(sink, RECIPIENTS - 1)
                time.sleep(3)  # a row lost in the window is closed when leases expire
            finally:
                stop(second)
        subprocess.run(
            [sys.executable, "manage.py", "run_scheduler", "--once"],
            cwd=REPO,
            env=env,
            capture_output=True,
            check=True,
            timeout=120,
        )
        got = copies(sink)
        outcome = report(env, send_id)
    assert max(got.values()) == 1, [address for address, n in got.items() if n > 1]
    # At most the one message whose row was committed as `sending` when the
    # kill came, before its dot reached the server (the documented window).
    assert len(got) >= RECIPIENTS - 1
    assert outcome["status"] == "done"
    assert outcome["sent"] == RECIPIENTS and outcome["pending"] == outcome["sending"] == 0


def test_two_workers_on_one_send_never_send_a_recipient_twice(mail_site, tmp_path):
    with SmtpSink() as sink:
        env = {
            **mail_site,
            "EMAIL_URL": f"smtp://{sink.host}:{sink.port}",
            "MAILINGS_TASKS_PER_SEND": "2",
        }
        send_id = send_create(env)
        with (tmp_path / "workers.log").open("ab") as log:
            workers = [worker(env, log), worker(env, log)]
            try:
                wait_quiet(sink, RECIPIENTS)
            finally:
                for process in workers:
                    stop(process)
        got = copies(sink)
        outcome = report(env, send_id)
    assert len(got) == RECIPIENTS and set(got.values()) == {1}
    assert outcome["sent"] == RECIPIENTS and outcome["status"] == "done"
    assert outcome["workers"] == 2
