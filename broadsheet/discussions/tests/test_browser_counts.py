"""The comment count above a thread and at the top of the story follow a
comment posted or deleted in place (htmx), without a reload, in Chromium
through the real server. Fixtures: news/tests/browser_fixtures.py."""

import re
import uuid

import pytest

from .browser_helpers import log_in, newest_stories, open_story_discussion, post_slot

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _count(text: str) -> int:
    return int(re.match(r"(\d+) comments?$", text.strip())[1])


def _both_say(page, story_id: int, count: int) -> None:
    expected = f"{count} comment" if count == 1 else f"{count} comments"
    title, header = f"#discussion-title-{story_id}", f"#story-comments-{story_id} a"
    page.wait_for_function(
        "([title, header, expected]) => document.querySelector(title)?.textContent === expected"
        " && document.querySelector(header)?.textContent === expected",
        arg=[title, header, expected],
        timeout=5000,
    )


def test_the_counts_follow_a_comment_posted_and_deleted_in_place(page, site_url):
    log_in(page, site_url, "tomas@broadsheet.localhost", "broadsheet-reader")
    story_url = newest_stories(page, site_url, count=4)[3]
    story_id = open_story_discussion(page, story_url)
    before = _count(page.inner_text(f"#discussion-title-{story_id}"))
    assert _count(page.inner_text(f"#story-comments-{story_id} a")) == before
    page.evaluate("() => { window.__notReloaded = true; }")

    body = f"Counted in place ({uuid.uuid4().hex[:8]})."
    page.fill(f"#comment-body-{story_id}", body)
    with post_slot():
        page.click(f"form:has(#comment-body-{story_id}) button[type=submit]")
        page.wait_for_selector(f"#comments-{story_id} .comment__body >> text={body}")
    _both_say(page, story_id, before + 1)

    page.once("dialog", lambda dialog: dialog.accept())  # hx-confirm: "Delete this comment?"
    mine = page.locator(f"#comments-{story_id} > .comment", has_text=body)
    mine.locator("form.comment__action button", has_text="Delete").click()
    page.wait_for_selector(f"#comments-{story_id} .comment__body >> text={body}", state="detached")
    _both_say(page, story_id, before)
    assert page.evaluate("() => window.__notReloaded === true"), "no reload"
