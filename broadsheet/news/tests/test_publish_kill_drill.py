"""The publish-kill drill (issue 14; news/drills.py): publishing processes
SIGKILLed at random moments leave every story wholly published or wholly not.

On SQLite the drill publishes into a database file of its own (the test
database is in memory); on PostgreSQL into the test database. `make
bench-edge` runs it 50 times over.
"""

import shutil
import subprocess
import sys

import pytest
from django.db import connection

from broadsheet.news.drills import drill_run, publish_problems, versions_step
from broadsheet.news.tests.browser_fixtures import REPO, _run, _work_dir, site_env

ROUNDS = 6


def _postgres_env(root) -> dict[str, str]:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = site_env(root, "http://127.0.0.1:8000")
    env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return env


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("wagtail_root")
def test_a_publish_killed_at_any_moment_is_all_there_or_not_at_all(tmp_path_factory):
    root = _work_dir(tmp_path_factory)
    try:
        if connection.vendor == "postgresql":
            env = _postgres_env(root)
        else:
            env = site_env(root, "http://127.0.0.1:8000")
            _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, root / "drill.log")
        env["DJANGO_ALLOWED_HOSTS"] = "testserver"
        _run_module(["setup"], env, root)
        result = drill_run(rounds=ROUNDS, env=env, workdir=root)
        assert result["problems"] == [], result
        assert result["published"] + result["absent"] == ROUNDS
        print(f"publish-kill drill: {result}")  # noqa: T201
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run_module(args, env, root):
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "broadsheet.news.drills", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]


# ------------------------------------------------- the check itself can fail


BEFORE = {"1": 10, "3": 4}
STEP = {"1": 1, "3": 1}
WHOLE = {
    "live": True,
    "live_revision": True,
    "logged": True,
    "purge_queued": True,
    "announced": True,
    "versions": {"1": 11, "3": 5},
}


def test_a_whole_publish_and_a_whole_absence_pass():
    assert publish_problems(state=WHOLE, before=BEFORE, step=STEP) == []
    absent = {**{k: False for k in WHOLE if k != "versions"}, "versions": BEFORE}
    assert publish_problems(state=absent, before=BEFORE, step=STEP) == []


@pytest.mark.parametrize("trace", ["live_revision", "logged", "purge_queued", "announced"])
def test_a_missing_trace_is_a_problem(trace):
    problems = publish_problems(state={**WHOLE, trace: False}, before=BEFORE, step=STEP)
    assert problems == [f"{trace} is False while live is True"]


def test_a_version_not_moved_with_the_publish_is_a_problem():
    state = {**WHOLE, "versions": {"1": 10, "3": 5}}
    assert "content versions" in publish_problems(state=state, before=BEFORE, step=STEP)[0]
    absent = {**{k: False for k in WHOLE if k != "versions"}, "versions": {"1": 11, "3": 4}}
    assert "content versions" in publish_problems(state=absent, before=BEFORE, step=STEP)[0]


def test_versions_step_counts_a_created_row_from_one():
    assert versions_step(before={"1": 10}, after={"1": 11, "5": 2}) == {"1": 1, "5": 1}
