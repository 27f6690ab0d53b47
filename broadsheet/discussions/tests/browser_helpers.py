"""Helpers shared by the discussion browser tests (test_browser_*.py).

Every browser test posts from 127.0.0.1 to one demo site, and the site's rate
limits (DiscussionSettings defaults: 20 s between two comments per reader
*and per IP address*, 10 per 10 minutes) stay as they are: the tests wait
their turn instead (`post_slot`). The browser tests run in one process (one
xdist group), so a module-level clock is shared by all of them.
"""

import contextlib
import re
import time

# The site's default interval is 20 s; one more for the clock's granularity.
POST_INTERVAL_SECONDS = 21.0
_last_post = [0.0]


@contextlib.contextmanager
def post_slot():
    """Wait until the site would accept a comment from this IP address, then
    let the caller post; the slot counts as used when the block ends."""
    wait = POST_INTERVAL_SECONDS - (time.monotonic() - _last_post[0])
    if wait > 0:
        time.sleep(wait)
    try:
        yield
    finally:
        _last_post[0] = time.monotonic()


def newest_stories(page, site_url: str, count: int = 1) -> list[str]:
    """Absolute URLs of the newest published stories, newest first (newsfeed)."""
    page.goto(f"{site_url}/newsfeed/")
    hrefs = page.eval_on_selector_all(
        ".feed-item > a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(hrefs) >= count, hrefs
    return [href if href.startswith("http") else site_url + href for href in hrefs[:count]]


def story_discussion_id(page) -> int:
    """The page id of the story open in `page` (its discussion section's id)."""
    section_id = page.get_attribute("section.discussion[id^='discussion-']", "id")
    return int(re.fullmatch(r"discussion-(\d+)", section_id).group(1))


def log_in(page, site_url: str, email: str, password: str) -> None:
    """Sign in through allauth's form (/accounts/login/, login by e-mail)."""
    page.goto(f"{site_url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    assert "/accounts/login/" not in page.url, f"login failed for {email}: {page.url}"


def open_story_discussion(page, story_url: str) -> int:
    """Open a story, scroll its discussion into view (htmx loads it when
    revealed) and wait for the thread; returns the story's page id."""
    page.goto(story_url)
    story_id = story_discussion_id(page)
    section = page.locator(f"#discussion-{story_id}")
    section.scroll_into_view_if_needed()
    page.wait_for_selector(f"#discussion-{story_id} .discussion__title")
    return story_id
