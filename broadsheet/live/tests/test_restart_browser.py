"""A deploy under an open page: the server stops, two updates are published
while it is down, it starts again, and the open live story shows both, in
order, once — the page resumes after the last event it had."""

import subprocess
import sys
import uuid

import pytest

from broadsheet.news.tests.browser_fixtures import (
    REPO,
    _free_port,
    _new_page,
    _wait_until_up,
    server_command,
    site_env,
)

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STORY_PATH = "/world/live-harbour-summit-in-port-meren/"  # live/demo.py LIVE_SLUG

PUBLISH = """
from django.db import transaction
from broadsheet.accounts.models import User
from broadsheet.live.models import LiveStoryPage
from broadsheet.live.services import live_post_create
story = LiveStoryPage.objects.get(slug="live-harbour-summit-in-port-meren")
editor = User.objects.get(username="editor")
for text in {texts!r}:
    with transaction.atomic():
        live_post_create(user=editor, story=story, body=text, publish=True)
"""


def _publish(env, *texts):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PUBLISH.format(texts=list(texts))],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def _start(port, env, log):
    with log.open("ab") as out:
        server = subprocess.Popen(
            server_command(port), cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    _wait_until_up(f"http://127.0.0.1:{port}/", server, log)
    return server


def _stop(server):
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def test_server_restarted_under_an_open_page_misses_nothing(browser, site_url, site_root):
    # A server of its own on the demo site's database, so restarting it
    # disturbs no other test.
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = site_env(site_root, url)
    log = site_root / "restart.log"
    server = _start(port, env, log)
    context, page = _new_page(browser, url)
    try:
        with page.expect_response(lambda r: "/realtime/events?" in r.url):
            page.goto(f"{url}{STORY_PATH}")
        tag = uuid.uuid4().hex[:8]
        _publish(env, f"Before the restart {tag}")
        posts = page.locator("[data-live-posts] .live-post__body")
        posts.filter(has_text=f"Before the restart {tag}").wait_for(timeout=5000)

        _stop(server)
        _publish(env, f"First while down {tag}", f"Second while down {tag}")
        server = _start(port, env, log)

        # realtime.js backs off (1 s, 2 s, 4 s … ×0.5–1.5) and resumes after
        # the last id it had.
        posts.filter(has_text=f"Second while down {tag}").wait_for(timeout=30_000)
        texts = [t for t in posts.all_inner_texts() if tag in t]
        assert texts == [
            f"Second while down {tag}",
            f"First while down {tag}",
            f"Before the restart {tag}",
        ]
        ids = page.locator("[data-live-posts] .live-post").evaluate_all(
            "posts => posts.map(p => p.dataset.postId)"
        )
        assert len(ids) == len(set(ids)), "no update twice"
        # The dropped stream is the only failure the page may have logged.
        problems = [p for p in page.problems.items if "/realtime/events" not in p]
        assert problems == []
    finally:
        context.close()
        _stop(server)
