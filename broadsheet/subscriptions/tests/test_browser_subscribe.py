"""Subscribing in a real browser (Chromium) against the real ASGI server:
from a story's box through the dialog (errors in place, focus, Esc), the
confirmation mail read at a real SMTP server, confirm, change preferences,
pause and unsubscribe; and the same form without JavaScript.

The demo site of browser_fixtures.py is served a second time by a server of
its own here, whose environment sends mail over SMTP to `SmtpSink` and runs
tasks at once (the immediate backend) instead of through a worker."""

import re
import subprocess
import uuid

import pytest

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def mail_site(site_url, site_root):
    from broadsheet.core.smtp_sink import SmtpSink
    from broadsheet.news.tests.browser_fixtures import (
        REPO,
        _free_port,
        _wait_until_up,
        server_command,
        site_env,
    )

    sink = SmtpSink().start()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **site_env(site_root, url),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    log = site_root / "subscriptions-site.log"
    with log.open("ab") as out:
        server = subprocess.Popen(
            server_command(port), cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_up(f"{url}/", server, log)
        yield url, sink
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        sink.stop()


def _first_story(page, url) -> str:
    page.goto(f"{url}/newsfeed/")
    return page.locator(".feed-list--page a[href]").first.get_attribute("href")


class _WithoutRefusals(list):
    """Page problems less the form's 400 answers, which are part of the test.
    Filtered as they arrive: Playwright may deliver a response's events late
    (as late as the context closing), after any one-off filtering."""

    def __init__(self, items, path: str):
        super().__init__()
        self.path = path
        self.extend(items)

    def _expected(self, item: str) -> bool:
        return (self.path in item and "400" in item) or "status of 400" in item

    def append(self, item):
        if not self._expected(item):
            super().append(item)

    def extend(self, items):
        for item in items:
            self.append(item)


def _box(page, name: str):
    # By role: every page also has the breaking-news banner, labelled
    # "Breaking news" too.
    return page.get_by_role("checkbox", name=re.compile(f"^{re.escape(name)}"))


def _expected_refusals(page, path: str) -> None:
    page.problems.items = _WithoutRefusals(page.problems.items, path)


def test_subscribe_from_a_story_confirm_manage_unsubscribe(browser, mail_site):
    from broadsheet.core.smtp_sink import message_text
    from broadsheet.news.tests.browser_fixtures import _close, _new_page

    url, sink = mail_site
    email = f"browser-{uuid.uuid4().hex[:8]}@example.org"
    context, page = _new_page(browser, url)
    _expected_refusals(page, "/subscribe/form/")
    try:
        story = _first_story(page, url)
        page.goto(url + story)
        opener = page.locator(".subscribe-cta a[data-subscribe-open]").first
        opener.scroll_into_view_if_needed()
        opener.click()
        page.get_by_role("dialog", name="Subscribe to our newsletters").wait_for()
        # Its name follows its heading, which changes with the answer.
        dialog = page.locator("dialog.subscribe-dialog")
        assert page.evaluate("document.activeElement.type") == "email"
        assert dialog.locator("input[type=checkbox][name=newsletters]:checked").count() == 1
        assert "browser notifications" in dialog.inner_text().lower()

        # A server-side refusal shows in place, focus on the field.
        dialog.locator("input[type=email]").fill("a@b")
        dialog.get_by_role("button", name="Subscribe").click()
        dialog.locator(".account-field__errors").wait_for()
        assert "Enter a valid e-mail address." in dialog.inner_text()
        assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"
        assert page.url == url + story  # still on the story

        dialog.locator("input[type=email]").fill(email)
        dialog.locator("input[name=name]").fill("Browser <b>Reader</b>")
        dialog.get_by_role("button", name="Subscribe").click()
        page.get_by_role("dialog", name="Check your inbox").wait_for()
        page.keyboard.press("Escape")
        page.wait_for_function("!document.querySelector('dialog.subscribe-dialog').open")
        assert page.evaluate("document.activeElement.hasAttribute('data-subscribe-open')")

        sink.wait_for(1)
        (message,) = sink.to(email)
        text = message_text(message)
        assert "Hello Browser <b>Reader</b>," in text
        link = re.search(r"http://127\.0\.0\.1:\d+/subscriptions/confirm/[^/\s]+/", text).group(0)

        page.goto(link)
        page.get_by_role("button", name="Confirm my subscription").click()
        page.get_by_role("heading", name="You are subscribed").wait_for()
        assert "Daily digest" in page.inner_text("main")
        page.get_by_role("link", name="Manage your subscriptions").click()
        page.get_by_role("heading", name="Your newsletters").wait_for()
        assert email in page.inner_text("main")

        _box(page, "Daily digest").uncheck()
        _box(page, "Breaking news").check()
        page.get_by_role("button", name="Save my newsletters").click()
        page.get_by_text("Your newsletters have been saved.").wait_for()
        assert _box(page, "Breaking news").is_checked()
        assert not _box(page, "Daily digest").is_checked()

        page.get_by_label("2 weeks").check()
        page.get_by_role("button", name="Pause", exact=True).click()
        page.get_by_text("Your newsletters are paused until").wait_for()
        page.get_by_role("button", name="Resume now").click()
        page.get_by_text("Your newsletters are on again.").wait_for()

        page.get_by_role("button", name="Unsubscribe from all").click()
        page.get_by_text("You have been unsubscribed from every newsletter.").wait_for()
        assert not _box(page, "Breaking news").is_checked()
        assert len(sink.to(email)) == 1  # the confirmation, nothing else
    finally:
        _close(context, page)


def test_subscribe_without_javascript(browser, mail_site):
    from broadsheet.news.tests.browser_fixtures import _close, _new_page

    url, sink = mail_site
    email = f"nojs-{uuid.uuid4().hex[:8]}@example.org"
    context, page = _new_page(browser, url, java_script_enabled=False)
    try:
        page.goto(url + "/")
        page.locator(".masthead__subscribe").click()
        page.wait_for_url(f"{url}/subscribe/")
        page.get_by_label("E-mail address").fill(email)
        page.get_by_role("button", name="Subscribe", exact=True).click()
        page.get_by_role("heading", name="Check your inbox").wait_for()
        assert len(sink.wait_for(len(sink.messages) or 1)) >= 1
        assert any(email in str(m["To"]) for m in sink.messages)
    finally:
        _close(context, page)
