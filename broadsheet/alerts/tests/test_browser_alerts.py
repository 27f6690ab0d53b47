"""Browser alerts in Chromium against the real server (browser_fixtures.py).

Headless Chromium has no push service of its own, so the test stands one up
(push_service.py) and the page's PushManager.subscribe is replaced by an
init script returning a subscription that points at it, with keys the test
generated. The rest is real: the click, the permission (granted to the
context), /sw.js registered, the subscription POSTed and stored by the site,
a breaking story published in the server's database (manage.py, as an
editor's publish in another process), the push sent by that process with the
site's VAPID key and decrypted here as the browser would; and the banner
appearing live on a page already open.
"""

import json
import re
import subprocess
import sys

import pytest

from .push_service import PushService

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI) without Playwright
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

HEADLINE = "Flood barrier fails as river peaks"
SLUG = "flood-barrier-alert-test"

PUBLISH = f"""
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import SectionPage
section = SectionPage.objects.live().in_menu().order_by("path").first()
story = ArticlePageFactory.build(
    title={HEADLINE!r}, slug={SLUG!r}, live=False, published_at=None, breaking=True,
    first_published_at=None, last_published_at=None, lead_photo=None,
)
section.add_child(instance=story)
story.save_revision().publish()
print("PUBLISHED", story.pk, story.url)
"""

DELETE = f"""
from broadsheet.news.models import ArticlePage
for story in ArticlePage.objects.filter(slug={SLUG!r}):
    story.delete()
from broadsheet.alerts.models import PushSubscription
PushSubscription.objects.filter(endpoint__startswith="http://127.0.0.1").delete()
"""

STORED = """
from broadsheet.alerts.models import PushSubscription
import json
print(json.dumps(list(PushSubscription.objects.values("endpoint", "p256dh", "auth", "language"))))
"""

# Replaces the browser's push subscription with one at the test's push
# service; records what the page asked for.
FAKE_PUSH = """
(() => {
  const SUB = %s;
  // Kept across page loads, as a real browser keeps its subscription.
  const STORED = "__fakePushSubscribed";
  const make = () => ({
    endpoint: SUB.endpoint,
    expirationTime: null,
    toJSON: () => ({ endpoint: SUB.endpoint, expirationTime: null, keys: SUB.keys }),
    unsubscribe: async () => {
      current = null;
      localStorage.removeItem(STORED);
      return true;
    },
  });
  let current = localStorage.getItem(STORED) ? make() : null;
  window.__push = { permissionAsked: 0, subscribeOptions: null };
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    window.__push.permissionAsked += 1;
    return ask(...args);
  };
  const b64u = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  PushManager.prototype.subscribe = async function (options) {
    window.__push.subscribeOptions = {
      userVisibleOnly: options.userVisibleOnly,
      applicationServerKey: b64u(options.applicationServerKey),
    };
    current = make();
    localStorage.setItem(STORED, "1");
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"""


def _stored(site_root, site_url) -> list:
    # The shell prints its own banner first; the JSON is the last line.
    return json.loads(_manage_shell(site_root, site_url, STORED).splitlines()[-1])


def _manage_shell(site_root, site_url, code: str) -> str:
    from broadsheet.news.tests.browser_fixtures import REPO, site_env

    env = {
        **site_env(site_root, site_url),
        # The publishing process runs the fan-out itself (no task worker here).
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


@pytest.fixture
def push_service():
    with PushService() as service:
        yield service


@pytest.fixture
def alert_pages(browser, site_url, push_service):
    """A reader who will subscribe (notifications granted, fake PushManager)
    and a second reader with a page open."""
    from broadsheet.news.tests.browser_fixtures import _close, _new_page

    opened = [_new_page(browser, site_url), _new_page(browser, site_url)]
    subscriber_context, _ = opened[0]
    subscriber_context.grant_permissions(["notifications"], origin=site_url)
    fake = push_service.browser("chromium")
    subscriber_context.add_init_script(FAKE_PUSH % json.dumps(fake.subscription()))
    yield fake, opened[0][1], opened[1][1]
    for context, page in opened:
        _close(context, page)


def test_subscribe_receive_a_push_and_see_the_banner_live(
    alert_pages, push_service, site_url, site_root
):
    fake, subscriber, reader = alert_pages
    reader.goto(f"{site_url}/search/")
    banner = reader.locator("[data-breaking]")
    expect(banner).to_be_hidden()

    subscriber.goto(f"{site_url}/")
    box = subscriber.locator("footer [data-push-alerts]")
    button = box.locator("[data-push-button]")
    expect(button).to_have_text("Get breaking news alerts")
    assert subscriber.evaluate("window.__push.permissionAsked") == 0, "never asked on load"
    site_key = box.get_attribute("data-push-key")

    try:
        with subscriber.expect_response(
            lambda r: r.url.endswith("/alerts/push/subscribe/")
        ) as sent:
            button.click()
        assert sent.value.status == 201
        expect(button).to_have_text("Stop alerts")
        expect(box.locator("[data-push-status]")).to_contain_text("Alerts are on")
        assert subscriber.evaluate("window.__push.permissionAsked") == 1
        assert subscriber.evaluate("window.__push.subscribeOptions") == {
            "userVisibleOnly": True,
            "applicationServerKey": site_key,
        }
        scope = subscriber.evaluate(
            "navigator.serviceWorker.getRegistration('/').then((r) => r && r.scope)"
        )
        assert scope == f"{site_url}/"
        stored = _stored(site_root, site_url)
        expected = fake.subscription()
        assert stored == [
            {
                "endpoint": expected["endpoint"],
                "p256dh": expected["keys"]["p256dh"],
                "auth": expected["keys"]["auth"],
                "language": "en",
            }
        ]

        out = _manage_shell(site_root, site_url, PUBLISH)
        pk, url = re.search(r"^PUBLISHED (\d+) (\S+)$", out, flags=re.M).groups()

        # The open page shows the banner without a reload.
        expect(banner).to_be_visible(timeout=3000)
        link = banner.locator("[data-breaking-link]")
        expect(link).to_have_text(HEADLINE)
        expect(link).to_have_attribute("href", url)

        [item] = push_service.wait_for(1)
        assert item.errors == []
        assert item.vapid_key == site_key, "signed with the key the page subscribed with"
        assert item.payload == {
            "title": HEADLINE,
            "body": item.payload["body"],
            "url": f"{site_url}{url}",
            "tag": f"story-{pk}",
            "icon": item.payload["icon"],
        }
        assert item.payload["icon"].startswith(f"{site_url}/static/img/logo")

        # Closed: remembered for this story across pages.
        reader.locator("[data-breaking-close]").click()
        expect(banner).to_be_hidden()
        reader.goto(f"{site_url}/")
        expect(reader.locator("[data-breaking-link]")).to_have_text(HEADLINE)
        expect(reader.locator("[data-breaking]")).to_be_hidden()
        # Another reader, later, sees it rendered by the server.
        subscriber.goto(f"{site_url}/newsfeed/")
        expect(subscriber.locator("[data-breaking-link]")).to_have_text(HEADLINE)
        expect(subscriber.locator("[data-breaking]")).to_be_visible()

        # Stop alerts: the site forgets the subscription.
        box = subscriber.locator("footer [data-push-alerts]")
        expect(box.locator("[data-push-button]")).to_have_text("Stop alerts")
        with subscriber.expect_response(lambda r: r.url.endswith("/alerts/push/unsubscribe/")):
            box.locator("[data-push-button]").click()
        expect(box.locator("[data-push-button]")).to_have_text("Get breaking news alerts")
        assert _stored(site_root, site_url) == []
    finally:
        _manage_shell(site_root, site_url, DELETE)


def test_without_javascript_nothing_is_offered(page_without_js, site_url):
    page_without_js.goto(f"{site_url}/")
    expect(page_without_js.locator("[data-push-alerts]")).to_be_hidden()
    expect(page_without_js.locator("[data-breaking-close]")).to_be_hidden()


def test_blocked_notifications_are_explained_not_offered(browser, site_url):
    from broadsheet.news.tests.browser_fixtures import _close, _new_page

    context, page = _new_page(browser, site_url)
    try:
        # What a browser with notifications blocked reports.
        context.add_init_script(
            "Object.defineProperty(Notification, 'permission', { get: () => 'denied' });"
        )
        page.goto(f"{site_url}/")
        box = page.locator("footer [data-push-alerts]")
        expect(box).to_be_visible()
        expect(box.locator("[data-push-button]")).to_be_hidden()
        expect(box.locator("[data-push-status]")).to_contain_text(
            "blocked in your browser settings"
        )
    finally:
        _close(context, page)


def test_a_button_loaded_later_shows_the_same_state(page, site_url):
    """The subscribe dialog arrives by htmx after push.js started."""
    page.goto(f"{site_url}/")
    expect(page.locator("footer [data-push-alerts]")).to_be_visible()
    page.evaluate(
        """() => {
          const copy = document.querySelector("footer [data-push-alerts]").cloneNode(true);
          copy.hidden = true;
          delete copy.dataset.pushState;
          copy.id = "late-box";
          document.querySelector("main").append(copy);
        }"""
    )
    late = page.locator("#late-box")
    expect(late).to_be_visible()
    expect(late.locator("[data-push-button]")).to_have_text("Get breaking news alerts")
