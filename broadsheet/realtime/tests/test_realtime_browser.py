"""realtime.js in Chromium against the real server: one EventSource for the
page's [data-live-stream] elements, events re-dispatched on `document`."""

import json
import subprocess
import sys
import time

import pytest

from broadsheet.news.tests.browser_fixtures import REPO, site_env

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LISTEN = """() => {
  window.liveEvents = [];
  window.liveReloads = [];
  document.addEventListener("broadsheet:live", (e) => window.liveEvents.push(e.detail));
  document.addEventListener("broadsheet:live-reload", (e) => window.liveReloads.push(e.detail));
}"""


def publish(site_root, site_url, stream: str, data: dict) -> int:
    result = subprocess.run(
        [sys.executable, "manage.py", "realtime_publish", stream, "test", json.dumps(data)],
        cwd=REPO,
        env=site_env(site_root, site_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(result.stdout.strip())


def add_live_element(page, stream: str, since_ms: int | None = None):
    page.evaluate(
        """([stream, since]) => {
          const element = document.createElement("div");
          element.dataset.liveStream = stream;
          if (since !== null) element.dataset.liveSince = String(since);
          document.body.append(element);
        }""",
        [stream, since_ms],
    )


def test_live_elements_get_their_events_as_dom_events(page, site_url, site_root):
    page.goto(f"{site_url}/search/")  # live only for the breaking-news banner (alerts)
    page.evaluate(LISTEN)
    with page.expect_response(lambda r: "&stream=chat-77" in r.url) as opened:
        add_live_element(page, "chat-77")  # as an htmx swap would
    assert opened.value.status == 200
    event_id = publish(site_root, site_url, "chat-77", {"id": 5, "text": "<b>hi</b>"})
    page.wait_for_function("() => window.liveEvents.length >= 1")
    data = {"id": 5, "text": "<b>hi</b>"}
    assert page.evaluate("window.liveEvents") == [
        {"stream": "chat-77", "kind": "test", "id": event_id, "data": data}
    ]
    # A second stream joins the same page: one connection for both, resumed
    # after the last event received.
    with page.expect_request(lambda r: "/realtime/events?" in r.url) as reopened:
        add_live_element(page, "live-78")
    assert reopened.value.url.endswith(
        f"/realtime/events?stream=breaking&stream=chat-77&stream=live-78&last={event_id}"
    )


def test_page_too_old_for_the_log_is_told_to_reload(page, site_url):
    page.goto(f"{site_url}/search/")  # live only for the breaking-news banner (alerts)
    page.evaluate(LISTEN)
    thirty_days_ago = int((time.time() - 30 * 86400) * 1000)
    add_live_element(page, "chat-79", since_ms=thirty_days_ago)
    page.wait_for_function("() => window.liveReloads.some((r) => r.stream === 'chat-79')")
    # The banner's stream shares the connection, so it is told to reload too.
    assert {"stream": "chat-79"} in page.evaluate("window.liveReloads")
    assert page.evaluate("window.liveEvents") == []
