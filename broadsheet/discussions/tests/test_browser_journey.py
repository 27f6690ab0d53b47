"""A new reader's whole journey through the real server in Chromium: sign up,
confirm the address from the e-mail, comment under the newest story (htmx
swaps the comment in, no reload), reply, report; then a moderator sees the
report. And the same posting path with JavaScript off (plain form, 303 back
to the comment's anchor). Fixtures: news/tests/browser_fixtures.py."""

import email
import re
import time
import uuid
from email import policy

import pytest

from .browser_helpers import log_in, newest_stories, open_story_discussion, post_slot

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "plum tart 1987 velvet"
CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s/<>\"]+/)")
MODERATION_QUEUE = "/admin/discussions/queue/"


def _mail_to(mail_dir, address: str, timeout: float = 10.0) -> str:
    """The text of the newest message the site wrote to `address`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(mail_dir.glob("*.log"), key=lambda f: f.stat().st_mtime, reverse=True)
        for path in files:
            # One file per connection; messages inside are separated by a rule.
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw.strip(), policy=policy.default)
                if address not in str(message.get("To", "")):
                    continue
                parts = message.walk() if message.is_multipart() else [message]
                return "\n".join(
                    part.get_content() for part in parts if part.get_content_maintype() == "text"
                )
        time.sleep(0.2)
    pytest.fail(f"no e-mail to {address} in {mail_dir}")


def test_a_new_reader_signs_up_confirms_comments_replies_and_reports(
    page, browser, site_url, site_mail_dir
):
    tag = uuid.uuid4().hex[:8]
    address = f"journey-{tag}@example.org"
    name = f"Journey {tag}"

    # 1. Sign up: e-mail, display name, password twice.
    page.goto(f"{site_url}/accounts/signup/")
    page.fill("#id_email", address)
    page.fill("#id_display_name", name)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.press("#id_password2", "Enter")
    assert page.url.startswith(f"{site_url}/accounts/confirm-email/"), page.url

    # 2. The verification e-mail (file backend); its link opens a page whose
    # button confirms (a GET changes nothing), and signs the reader in.
    text = _mail_to(site_mail_dir, address)
    path = CONFIRM_PATH.search(text)
    assert path, text
    page.goto(site_url + path.group(1))
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    page.goto(f"{site_url}/readers/account/")
    assert page.url == f"{site_url}/readers/account/", "signed in after confirming"

    # 3. The newest story, scrolled down to its discussion: the reader may post.
    story_url = newest_stories(page, site_url)[0]
    story_id = open_story_discussion(page, story_url)
    discussion = page.locator(f"#discussion-{story_id}")
    form = discussion.locator("form.comment-form:not(.comment-form--reply)")
    assert form.count() == 1, "a verified reader gets the comment box"
    demo_ids = [
        int(i.split("-")[1])
        for i in discussion.locator(f"#comments-{story_id} > .comment").evaluate_all(
            "els => els.map(e => e.id)"
        )
    ]
    assert len(demo_ids) >= 2, "the demo left two top-level comments under the newest story"

    # 4. Post with htmx: the comment is swapped in at the top, without a reload.
    page.evaluate("window.__sameDocument = true")
    body = f"First words from {name}: the valley needs a new bridge."
    page.fill(f"#comment-body-{story_id}", body)
    with post_slot():
        form.locator("button[type=submit]").click()
        page.wait_for_selector(f"#comments-{story_id} > .comment:first-child >> text={body}")
    notice = discussion.locator("form.comment-form .comment-form__notice")
    assert notice.inner_text() == "Your comment is posted."
    assert page.evaluate("window.__sameDocument") is True, "htmx swapped it in: no full reload"
    assert (
        page.locator(f"#discussion-{story_id} form.comment-form textarea").first.input_value() == ""
    )
    mine = discussion.locator(f"#comments-{story_id} > .comment").first
    assert mine.locator(".comment__author").inner_text() == name
    assert mine.get_attribute("id") not in {f"comment-{i}" for i in demo_ids}

    # 5. Reply to another reader's comment: the reply joins that thread.
    parent_id = demo_ids[0]
    parent = page.locator(f"#comment-{parent_id}")
    # The reply form is loaded in place on demand (htmx), focus moved into it.
    parent.locator(
        ":scope > .comment__main .comment__reply > a.comment__action", has_text="Reply"
    ).click()
    # A function, not an expression string: Playwright runs those through
    # eval(), which the site's Content-Security-Policy refuses.
    page.wait_for_function("id => document.activeElement?.id === id", arg=f"reply-body-{parent_id}")
    reply = f"A reply from {name}: agreed, and soon."
    page.fill(f"#reply-body-{parent_id}", reply)
    with post_slot():
        parent.locator(f"form:has(#reply-body-{parent_id}) button[type=submit]").click()
        page.wait_for_selector(f"#replies-{parent_id} > .comment--reply >> text={reply}")
    assert parent.locator(".comment-form__notice").inner_text() == "Your reply is posted."
    new_reply = page.locator(f"#replies-{parent_id} > .comment--reply").last
    assert new_reply.locator(".comment__author").inner_text() == name
    assert page.evaluate("window.__sameDocument") is True

    # 6. Report the other demo comment, with a reason and details.
    reported_id = demo_ids[1]
    reported = page.locator(f"#comment-{reported_id}")
    reported_text = reported.locator(":scope > .comment__main .comment__body").inner_text()
    report_box = reported.locator(":scope > .comment__main .comment__report")
    # Opened by mistake: Cancel puts the link back, nothing sent.
    report_box.locator("a.comment__action", has_text="Report").click()
    page.wait_for_selector(f"#report-reason-{reported_id}")
    report_box.locator("a.comment-form__cancel").click()
    page.wait_for_selector(f"#report-reason-{reported_id}", state="detached")
    report_box.locator("a.comment__action", has_text="Report").click()
    page.wait_for_function(
        "id => document.activeElement?.id === id", arg=f"report-reason-{reported_id}"
    )
    page.select_option(f"#report-reason-{reported_id}", "abuse")
    report_details = f'Journey {tag}: rude. <img src=x onerror="window.__xss=1">'
    page.fill(f"#report-text-{reported_id}", report_details)
    report_box.locator("button[type=submit]").click()
    thanks = reported.locator(".comment__report .comment-form__notice")
    thanks.wait_for()
    assert thanks.inner_text() == "Thank you. A moderator will look at this comment."
    assert page.evaluate("window.__sameDocument") is True

    # 7. A moderator sees the report in the moderation queue and approves the
    # comment: the report is resolved, the comment stays, the audit log says who.
    context = browser.new_context(locale="en-GB")
    try:
        editor = context.new_page()
        editor.goto(f"{site_url}/admin/login/")
        editor.fill("#id_username", "editor")
        editor.fill("#id_password", "broadsheet-editor")
        with editor.expect_navigation():
            editor.click("button[type=submit]")
        response = editor.goto(f"{site_url}{MODERATION_QUEUE}?tab=reported")
        assert response.status == 200, response.status
        row = editor.locator(f"tr[data-comment='{reported_id}']")
        assert row.count() == 1, "the reported comment is in the queue's Reported tab"
        assert reported_text.strip()[:40] in row.inner_text()
        assert report_details in row.inner_text(), "the report's details, as typed"
        assert row.locator("img").count() == 0, "report details are escaped in the admin"
        assert editor.evaluate("typeof window.__xss") == "undefined"

        with editor.expect_navigation():
            row.locator("form[action$='/approve/'] button[type=submit]").click()
        assert "Comment approved." in editor.content()
        editor.goto(f"{site_url}{MODERATION_QUEUE}?tab=reported")
        assert editor.locator(f"tr[data-comment='{reported_id}']").count() == 0
        editor.goto(f"{site_url}/admin/discussions/audit/")
        latest = editor.locator("table tbody tr").first.inner_text()
        assert "Approved" in latest and "Elena" in latest, latest
    finally:
        context.close()


def test_without_javascript_a_comment_posts_through_the_plain_form(page_without_js, site_url):
    page = page_without_js
    log_in(page, site_url, "keiko@broadsheet.localhost", "broadsheet-reader")
    story_url = newest_stories(page, site_url)[0]
    page.goto(story_url)
    # No htmx: the story links to the discussion page instead of loading it.
    link = page.locator("section.discussion a[href*='/discussions/']").first
    with page.expect_navigation():
        link.click()
    story_id = int(re.search(r"/discussions/(\d+)/", page.url).group(1))

    body = f"Posted without scripts ({uuid.uuid4().hex[:8]})."
    page.fill(f"#comment-body-{story_id}", body)
    with post_slot(), page.expect_navigation():
        page.click(f"form:has(#comment-body-{story_id}) button[type=submit]")
    match = re.fullmatch(rf"{re.escape(site_url)}/discussions/{story_id}/#comment-(\d+)", page.url)
    assert match, f"303 back to the new comment's anchor, not {page.url}"
    comment = page.locator(f"#comment-{match.group(1)}")
    assert comment.locator(".comment__body").inner_text() == body
    assert comment.locator(".comment__author").inner_text() == "Keiko Moreau"
