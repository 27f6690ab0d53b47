"""SQLite's fault drill (issue 14): a writer that holds the database's write
lock (a stuck process, a long import, a backup tool) while the site runs as
its own server process on the embedded default.

While the lock is held: pages are read and served (WAL lets readers beside a
writer), a write waits SQLITE_BUSY_TIMEOUT and is then a branded 503 with
Retry-After that saves nothing; once the lock goes, the same server process
takes writes again, without a restart. The PostgreSQL counterpart, with the
database stopped under Varnish, is test_database_down.py.
"""

import re
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from broadsheet.news.tests.browser_fixtures import (
    REPO,
    _free_port,
    _run,
    _work_dir,
    server_running,
    site_env,
)

from .drill_http import request, signup, signup_form

pytestmark = [pytest.mark.sqlite]

BUSY_SECONDS = 1
CONTENT = """
from broadsheet.news.factories import ArticlePageFactory, SectionPageFactory, front_page_install
home = front_page_install()
world = SectionPageFactory(parent=home, title="World", slug="world")
for title in ("Harbour reopens after storm", "Late goal wins derby"):
    print("STORY", ArticlePageFactory(parent=world, title=title).url)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site with two stories on its own SQLite file, served by granian."""
    root = _work_dir(tmp_path_factory)
    port = _free_port()
    env = site_env(root, f"http://127.0.0.1:{port}")
    env.update(SQLITE_BUSY_TIMEOUT=str(BUSY_SECONDS), LOG_LEVEL="ERROR")
    _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, root / "migrate.log")
    _run(["collectstatic", "--noinput", "-v0"], env, root / "collectstatic.log")
    made = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CONTENT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    stories = re.findall(r"^STORY (\S+)$", made.stdout, flags=re.M)
    log = root / "server.log"
    try:
        with server_running(port, env, log):
            yield {"port": port, "db": root / "site.sqlite3", "stories": stories, "log": log}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def ask(port, method, path):
    return request("127.0.0.1", port, method, path)


def signup_as(port, email: str):
    origin = f"http://127.0.0.1:{port}"
    return signup("127.0.0.1", port, *signup_form("127.0.0.1", port), origin, email=email)


def accounts(db, email: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT COUNT(*) FROM account_emailaddress WHERE email = ?", (email,)
        ).fetchone()[0]


def test_a_held_write_lock_keeps_pages_served_and_turns_writes_into_503s(site):
    port, (read_before, never_read) = site["port"], site["stories"]
    assert ask(port, "GET", read_before)[0] == 200

    holder = sqlite3.connect(site["db"], isolation_level=None, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        pages = [read_before, never_read, "/world/", "/", "/newsfeed/", "/search/?q=harbour"]
        pages += ["/feeds/latest.xml", "/sitemap.xml", "/mediabank/", "/robots.txt"]
        for path in pages:
            status, _headers, body = ask(port, "GET", path)
            assert status == 200, (path, status, site["log"].read_text()[-3000:])
        assert "Late goal wins derby" in ask(port, "GET", never_read)[2]

        started = time.monotonic()
        status, headers, body = signup_as(port, "locked@example.org")
        assert status == 503 and headers["retry-after"] == "30", (status, body[:500])
        assert "back in a moment" in body.lower()
        assert time.monotonic() - started >= BUSY_SECONDS, "it waited for the lock first"
    finally:
        holder.rollback()
        holder.close()
    assert accounts(site["db"], "locked@example.org") == 0, "nothing saved half-way"

    status, headers, body = signup_as(port, "locked@example.org")
    assert status == 302, (status, body[:2000])
    assert accounts(site["db"], "locked@example.org") == 1
