"""Browser test of the live newsfeed: a story published by another process
(manage.py, as an editor's publish in another server process) reaches open
pages through the realtime layer, and its withdrawal removes it.

Uses the demo site of browser_fixtures.py (shared with the other browser
tests; the story made here is deleted at the end).
"""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI) without Playwright
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

HEADLINE = "Night ferry service resumes across the strait"
DELIVERY_SECONDS = 2

PUBLISH = f"""
from broadsheet.mediabank.models import Photo
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import SectionPage
section = SectionPage.objects.live().in_menu().order_by("path").first()
story = ArticlePageFactory.build(
    title={HEADLINE!r}, slug="night-ferry-live-test", live=False, published_at=None,
    first_published_at=None, last_published_at=None, lead_photo=Photo.objects.first(),
)
section.add_child(instance=story)
story.save_revision().publish()
print("PUBLISHED", story.pk, section.slug)
"""

UNPUBLISH = """
from broadsheet.news.models import ArticlePage
ArticlePage.objects.get(pk={pk}).unpublish()
"""

DELETE = """
from broadsheet.news.models import ArticlePage
for story in ArticlePage.objects.filter(slug="night-ferry-live-test"):
    story.delete()
"""


REPO = Path(__file__).resolve().parents[3]


def _manage_shell(site_root, site_url, code: str) -> str:
    # Imported here: pytest loads browser_fixtures as a plugin (pytest_plugins).
    from broadsheet.news.tests.browser_fixtures import site_env

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=site_env(site_root, site_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def _first_item_box(page, feed: str):
    return page.locator(f"{feed} [data-story-id]").first.bounding_box()


@pytest.fixture
def reader_pages(browser, site_url):
    """The front page, a story page and two section-filtered newsfeeds, open
    in one reader's browser (one context: one realtime connection each)."""
    from broadsheet.news.tests.browser_fixtures import _close, _new_page

    opened = []
    for _ in range(4):
        opened.append(_new_page(browser, site_url))
    yield [page for _, page in opened]
    for context, page in opened:
        _close(context, page)


def test_open_feeds_show_a_new_story_and_lose_a_withdrawn_one(reader_pages, site_url, site_root):
    front, story_page, same_section, other_section = reader_pages
    front.goto(f"{site_url}/")
    story_href = front.locator(".newsfeed-box [data-story-id] a").nth(1).get_attribute("href")
    story_page.goto(f"{site_url}{story_href}")
    filters = _newsfeed_html(front, site_url)
    sections = re.findall(r'href="/newsfeed/\?section=([a-z0-9-]+)"', filters)
    assert len(sections) >= 2
    same_section.goto(f"{site_url}/newsfeed/?section={sections[0]}")
    other_section.goto(f"{site_url}/newsfeed/?section={sections[1]}")
    before = _first_item_box(front, ".newsfeed-box")
    listed = same_section.locator(".feed-list--page [data-story-id]").count()
    for page in reader_pages:
        expect(page.locator("[data-live-button]")).to_be_hidden()

    try:
        out = _manage_shell(site_root, site_url, PUBLISH)
        pk, section = re.search(r"^PUBLISHED (\d+) (\S+)$", out, flags=re.M).groups()
        published = time.monotonic()
        assert section == sections[0], "the story goes to the first section of the menu"

        for page in (front, story_page, same_section):
            bar = page.locator("[data-live-button]")
            expect(bar).to_have_text("1 new story", timeout=DELIVERY_SECONDS * 1000)
            expect(bar).to_be_visible()
        assert time.monotonic() - published < DELIVERY_SECONDS + 1
        # The bar floats over the feed: nothing under the reader's eyes moved.
        assert _first_item_box(front, ".newsfeed-box") == before
        # A feed of another section is not told of it.
        expect(other_section.locator("[data-live-button]")).to_be_hidden()

        front.locator(".newsfeed-box [data-live-button]").click()
        first = front.locator(".newsfeed-box [data-story-id]").first
        expect(first).to_have_attribute("data-story-id", pk)
        expect(first).to_contain_text(HEADLINE)
        expect(front.locator(".newsfeed-box [data-live-button]")).to_be_hidden()
        assert front.locator(".newsfeed-box [data-story-id]").count() == 10, (
            "the box keeps its size"
        )

        same_section.locator("[data-live-button]").click()
        first = same_section.locator(".feed-list--page [data-story-id]").first
        expect(first).to_have_attribute("data-story-id", pk)
        assert same_section.locator(".feed-list--page [data-story-id]").count() == listed + 1
        # Still one heading per day at the top.
        heads = same_section.locator(".feed-list--page > .feed-day").evaluate_all(
            "els => els.map(el => el.dataset.day)"
        )
        assert len(heads) == len(set(heads))

        _manage_shell(site_root, site_url, UNPUBLISH.format(pk=pk))
        for page in (front, same_section):
            expect(page.locator(f'[data-story-id="{pk}"]')).to_have_count(
                0, timeout=DELIVERY_SECONDS * 1000
            )
        # Told of it before the reader clicked: no longer counted.
        expect(story_page.locator("[data-live-button]")).to_be_hidden()
    finally:
        _manage_shell(site_root, site_url, DELETE)


def _newsfeed_html(page, site_url) -> str:
    response = page.request.get(f"{site_url}/newsfeed/")
    return response.text()


def test_without_javascript_there_is_no_bar(page_without_js, site_url):
    page_without_js.goto(f"{site_url}/")
    assert page_without_js.locator(".newsfeed-box [data-story-id]").count() == 10
    expect(page_without_js.locator("[data-live-button]")).to_be_hidden()


SEND = """([kind, data]) => document.dispatchEvent(new CustomEvent("broadsheet:live",
    {detail: {stream: "newsfeed", kind, id: 1, data}}))"""


def test_the_bar_counts_each_new_story_once_and_only_what_belongs_at_the_top(page, site_url):
    """The client's rules, driven with the DOM events realtime.js dispatches."""
    page.goto(f"{site_url}/newsfeed/?section=world")
    bar = page.locator("[data-live-button]")
    top = page.locator(".feed-list--page [data-story-id]").first
    top_time = top.locator("time").get_attribute("datetime")
    shown = top.get_attribute("data-story-id")
    newer = "2999-01-01T00:00:00+00:00"

    def send(kind, **data):
        page.evaluate(SEND, [kind, data])

    send("story.published", id=900001, section="world", published_at=newer)
    send("story.published", id=900001, section="world", published_at=newer)  # a replay
    send("story.published", id=int(shown), section="world", published_at=top_time)  # shown
    send("story.published", id=900002, section="sport", published_at=newer)  # other section
    send("story.published", id=900003, section="world", published_at="2001-01-01T00:00:00Z")
    send("story.updated", id=900004, section="world", published_at=newer)  # not counted
    expect(bar).to_have_text("1 new story")
    send("story.published", id=900005, section="world", published_at=newer)
    send("story.published", id=900006, section="world", published_at=newer)
    expect(bar).to_have_text("3 new stories")
    send("story.unpublished", id=900005)
    expect(bar).to_have_text("2 new stories")
    send("story.unpublished", id=int(shown))
    expect(page.locator(f'[data-story-id="{shown}"]')).to_have_count(0)
    send("story.unpublished", id=900001)
    send("story.unpublished", id=900006)
    expect(bar).to_be_hidden()

    page.evaluate(
        """() => document.dispatchEvent(new CustomEvent("broadsheet:live-reload",
            {detail: {stream: "newsfeed"}}))"""
    )
    expect(bar).to_have_text("New stories — refresh")
    with page.expect_navigation():
        bar.click()
    expect(page.locator(f'[data-story-id="{shown}"]')).to_have_count(1)
    expect(bar).to_be_hidden()
