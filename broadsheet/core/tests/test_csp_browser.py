"""The Content-Security-Policy in Chromium: every public page type, the pages
of a signed-in reader and of staff (Wagtail's userbar), and the admin's
editor load without a single `securitypolicyviolation`, their scripts still
work (next story, discussion fragment, newsfeed "More", gallery keys), and
script injected into a page is refused. Fixtures: news/tests/browser_fixtures.py.
"""

import re
import time

import pytest

from broadsheet.discussions.tests.browser_helpers import log_in, story_discussion_id
from broadsheet.news.tests.test_browser import complete_story, scroll_to_end

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI) without Playwright
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GALLERY = "/multimedia/the-week-in-pictures/"
# Recorded from the first moment of every document, before any of the page's
# own scripts; the event is composed, so violations inside shadow roots (the
# Wagtail userbar) reach the document too.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "?"}`
    + ` at ${e.sourceFile || "?"}:${e.lineNumber} ${e.sample || ""}`);
}, true);
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || ['the recorder did not run']")


def visit(page, url: str, status: int = 200):
    response = page.goto(url)
    assert response.status == status, (url, response.status)
    assert response.headers.get("content-security-policy"), f"no policy on {url}"
    return response


def first_href(page, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    assert href, selector
    return href


@pytest.fixture
def csp_page(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


@pytest.fixture
def bare_page(browser, site_url):
    """A tab that records violations but, unlike `page`, lets the test judge
    console errors and 4xx loads itself (a 404 page, Wagtail's userbar logging
    its accessibility findings, violations a test provokes)."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()


def assert_clean(page, name: str):
    # Give late work (lazy images, htmx on load) a moment to report.
    page.wait_for_load_state("networkidle")
    found = violations(page)
    assert found == [], f"{name}: {found}"


def test_every_public_page_type_loads_without_a_violation(csp_page, site_url):
    page = csp_page
    story = complete_story(site_url)
    visit(page, f"{site_url}/authors/")
    author = first_href(page, "main a[href^='/authors/']:not([href='/authors/'])")
    visit(page, f"{site_url}/topics/")
    topic = first_href(page, "main a[href^='/topics/']:not([href='/topics/'])")
    visit(page, f"{site_url}/mediabank/")
    photo = first_href(page, "main a[href^='/mediabank/']:not([href='/mediabank/'])")
    section = "/" + story.strip("/").split("/")[0] + "/"
    pages = {
        "front": "/",
        "russian front": "/ru/",
        "section": section,
        "article": story,
        "gallery": GALLERY,
        "gallery photo 2": f"{GALLERY}2/",
        "author index": "/authors/",
        "author": author,
        "topic index": "/topics/",
        "topic": topic,
        "newsfeed": "/newsfeed/",
        "search": "/search/?q=harbour",
        "media bank": "/mediabank/",
        "media bank photo": photo,
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "password reset": "/accounts/password/reset/",
    }
    for name, path in pages.items():
        visit(page, site_url + path)
        assert_clean(page, name)


def test_the_404_page_loads_without_a_violation(bare_page, site_url):
    visit(bare_page, f"{site_url}/no/such/page/", status=404)
    assert_clean(bare_page, "404")


def test_scripts_still_work_under_the_policy(csp_page, site_url):
    page = csp_page
    # Next story: appended when the reader nears the end of the article.
    visit(page, site_url + complete_story(site_url))
    story_id = story_discussion_id(page)
    scroll_to_end(page)
    expect(page.locator("[data-story-stream] [data-story]")).to_have_count(2, timeout=10_000)
    # The discussion fragment: htmx loads it when it scrolls into view.
    section = page.locator(f"#discussion-{story_id}")
    section.scroll_into_view_if_needed()
    expect(section.locator(".discussion__title")).to_be_visible()
    assert_clean(page, "article with next story and discussion")

    # The newsfeed's "More" (htmx), with the indicator styles in our stylesheet.
    visit(page, f"{site_url}/newsfeed/")
    before = page.locator(".feed-item").count()
    page.locator(".feed-more a, .feed-more button").first.click()
    expect(page.locator(".feed-item")).not_to_have_count(before)
    assert_clean(page, "newsfeed more")

    # Gallery keys (broadsheet.js).
    visit(page, site_url + GALLERY)
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(re.escape(f"{site_url}{GALLERY}2/")))
    assert_clean(page, "gallery keys")


def test_a_signed_in_readers_pages_load_without_a_violation(csp_page, site_url):
    page = csp_page
    log_in(page, site_url, "keiko@broadsheet.localhost", "broadsheet-reader")
    visit(page, f"{site_url}/readers/account/")
    assert_clean(page, "account")
    visit(page, f"{site_url}/accounts/email/")
    assert_clean(page, "e-mail address")
    visit(page, site_url + complete_story(site_url))
    story_id = story_discussion_id(page)
    section = page.locator(f"#discussion-{story_id}")
    section.scroll_into_view_if_needed()
    # Signed in, the fragment carries the comment form and per-comment actions.
    expect(section.locator("form.comment-form textarea").first).to_be_visible()
    reply = section.locator("a[href$='/reply/']").first
    reply.click()
    expect(section.locator("form.comment-form--reply textarea")).to_be_focused()
    assert_clean(page, "story with signed-in thread and reply form")
    profile = first_href(page, f"#discussion-{story_id} a[href^='/readers/']")
    visit(page, site_url + profile)
    assert_clean(page, "reader profile")
    visit(page, f"{site_url}/discussions/{story_id}/")
    assert_clean(page, "discussion page")


def _admin_login(page, site_url):
    page.goto(f"{site_url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "broadsheet-editor")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url == f"{site_url}/admin/"


def test_staff_on_the_site_and_in_the_editor_see_no_violation(bare_page, site_url):
    page = bare_page
    _admin_login(page, site_url)
    assert_clean(page, "admin dashboard")
    # Public pages keep the strict policy for staff, and Wagtail's userbar works.
    response = visit(page, site_url + complete_story(site_url))
    assert "script-src 'self';" in response.headers["content-security-policy"]
    story_id = story_discussion_id(page)
    trigger = page.locator("wagtail-userbar [data-wagtail-userbar-trigger]")
    trigger.click()
    expect(page.locator("wagtail-userbar #wagtail-userbar-items")).to_be_visible()
    assert_clean(page, "story with the userbar")
    # The editor, under the admin's own policy.
    response = visit(page, f"{site_url}/admin/pages/{story_id}/edit/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    expect(page.locator("form#page-edit-form")).to_be_visible()
    assert_clean(page, "page editor")
    # The userbar's accessibility checker reports what it finds as console errors.
    assert [text for text in page.console_errors if not text.startswith("axe.run")] == []


def test_injected_script_is_blocked_and_reported(bare_page, site_url, site_root):
    page = bare_page
    log = site_root / "site.log"
    visit(page, site_url + complete_story(site_url))
    ran = page.evaluate(
        """async () => {
            window.__ran = [];
            // What an XSS would add: an inline script, an event handler, a
            // javascript: link, a frame from elsewhere.
            const script = document.createElement("script");
            script.textContent = "window.__ran.push('inline script')";
            document.body.append(script);
            const img = document.createElement("img");
            img.setAttribute("onerror", "window.__ran.push('event handler')");
            img.src = "/no-such-image.png";
            document.body.append(img);
            const link = document.createElement("a");
            link.href = "javascript:window.__ran.push('javascript: link')";
            document.body.append(link);
            link.click();
            const frame = document.createElement("iframe");
            frame.src = "https://evil.example/";
            document.body.append(frame);
            await new Promise((resolve) => setTimeout(resolve, 500));
            return window.__ran;
        }"""
    )
    assert ran == []
    found = violations(page)
    assert any(v.startswith("script-src-elem blocked inline") for v in found), found
    assert any(v.startswith("script-src-attr blocked inline") for v in found), found
    assert any(v.startswith("frame-src blocked https://evil.example") for v in found), found
    assert any("Content Security Policy" in text for text in page.console_errors)
    # The browser reports it to /csp-report/, which logs it.
    deadline = time.monotonic() + 30
    while "CSP violation" not in log.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.5)
    logged = [
        line for line in log.read_text(errors="replace").splitlines() if "CSP violation" in line
    ]
    assert any("script-src-elem" in line for line in logged), logged
