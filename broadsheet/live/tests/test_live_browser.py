"""Live coverage in Chromium: an editor posts on the desk, an open reader
page shows it; a reader who loses the network gets what was missed, in order."""

import time
import uuid

import pytest

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

STORY_PATH = "/world/live-harbour-summit-in-port-meren/"  # live/demo.py LIVE_SLUG


def _desk_url(site_url, reader):
    story_id = reader.locator("[data-live-posts-stream]").get_attribute("data-live-stream")
    return f"{site_url}/admin/live/{story_id.removeprefix('live-')}/desk/"


def _editor(browser, site_url):
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site_url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "broadsheet-editor")
    with page.expect_navigation():
        page.click("button[type=submit]")
    return context, page


def _post(desk, text):
    desk.fill("textarea[name=body]", text)
    with desk.expect_navigation():
        desk.press("textarea[name=body]", "Control+Enter")
    assert "Published." in desk.content()


def _reader(browser, site_url):
    from broadsheet.news.tests.browser_fixtures import _new_page

    context, page = _new_page(browser, site_url)
    page.goto(f"{site_url}{STORY_PATH}")
    # realtime.js is connected once the page has loaded and opened its stream.
    page.wait_for_function("() => document.readyState === 'complete'")
    time.sleep(0.5)
    return context, page


def _post_texts(page) -> list[str]:
    return page.locator("[data-live-posts] .live-post__body").all_inner_texts()


def test_editor_posts_and_an_open_reader_page_shows_it(browser, site_url):
    reader_context, reader = _reader(browser, site_url)
    editor_context, desk = _editor(browser, site_url)
    try:
        desk.goto(_desk_url(site_url, reader))
        # A draft survives a reload of the desk.
        tag = uuid.uuid4().hex[:8]
        desk.fill("textarea[name=body]", f"Half-written {tag}")
        desk.reload()
        assert desk.input_value("textarea[name=body]") == f"Half-written {tag}"

        text = f"Breaking from the harbour {tag} <b>not bold</b>"
        _post(desk, text)
        started = time.monotonic()
        reader.locator("[data-live-posts] .live-post__body", has_text=tag).first.wait_for(
            timeout=2000
        )
        assert time.monotonic() - started < 2.0
        assert _post_texts(reader)[0] == text, "at the top, escaped, as typed"
        assert reader.locator("[data-live-posts] .live-post__body b").count() == 0
        # Posted: the saved draft is gone.
        assert desk.input_value("textarea[name=body]") == ""
        desk.reload()
        assert desk.input_value("textarea[name=body]") == ""
        assert reader.problems.items == []
    finally:
        editor_context.close()
        reader_context.close()


def test_reader_offline_while_two_posts_go_out_gets_both_in_order(browser, site_url):
    reader_context, reader = _reader(browser, site_url)
    editor_context, desk = _editor(browser, site_url)
    try:
        desk.goto(_desk_url(site_url, reader))
        tag = uuid.uuid4().hex[:8]
        reader_context.set_offline(True)
        _post(desk, f"First while offline {tag}")
        _post(desk, f"Second while offline {tag}")
        time.sleep(1)
        assert not any(tag in text for text in _post_texts(reader))
        reader_context.set_offline(False)
        second = reader.locator(
            "[data-live-posts] .live-post__body", has_text=f"Second while offline {tag}"
        )
        second.wait_for(timeout=20_000)
        texts = [t for t in _post_texts(reader) if tag in t]
        assert texts == [f"Second while offline {tag}", f"First while offline {tag}"]
        ids = reader.locator("[data-live-posts] .live-post").evaluate_all(
            "posts => posts.map(p => p.dataset.postId)"
        )
        assert len(ids) == len(set(ids)), "no post twice"
    finally:
        editor_context.close()
        reader_context.close()


def test_reader_further_down_gets_a_button_and_edits_deletes_follow(browser, site_url):
    reader_context, reader = _reader(browser, site_url)
    editor_context, desk = _editor(browser, site_url)
    desk.on("dialog", lambda dialog: dialog.accept())
    try:
        desk.goto(_desk_url(site_url, reader))
        # Older posts load as the reader scrolls (htmx), without duplicates.
        before = reader.locator("[data-live-posts] .live-post").count()
        reader.locator(".live-more a").scroll_into_view_if_needed()
        reader.wait_for_function(
            f"() => document.querySelectorAll('[data-live-posts] .live-post').length > {before}"
        )
        ids = reader.locator(".live-stream .live-post").evaluate_all(
            "posts => posts.map(p => p.dataset.postId)"
        )
        assert len(ids) == len(set(ids))

        # Reading further down: a new post waits behind a button.
        tag = uuid.uuid4().hex[:8]
        _post(desk, f"While you were reading {tag}")
        button = reader.locator("[data-live-new-button]")
        button.wait_for(state="visible", timeout=3000)
        assert button.inner_text() == "1 new update"
        assert reader.locator(".live-post__body", has_text=tag).count() == 0
        button.click()
        reader.locator(".live-post__body", has_text=tag).wait_for(timeout=2000)
        assert _post_texts(reader)[0] == f"While you were reading {tag}"
        assert not button.is_visible()

        # Pinned on the desk: it moves to the pinned box; deleted: it goes.
        post_id = reader.locator(".live-post", has_text=tag).get_attribute("data-post-id")
        row = desk.locator(f"[data-desk-post='{post_id}']")
        with desk.expect_navigation():
            row.get_by_role("button", name="Pin").click()
        reader.locator(f"[data-live-pinned] [data-post-id='{post_id}']").wait_for(timeout=2000)
        assert reader.locator(f"[data-post-id='{post_id}']").count() == 1
        row = desk.locator(f"[data-desk-post='{post_id}']")
        with desk.expect_navigation():
            row.get_by_role("button", name="Delete").click()
        reader.locator(f"[data-post-id='{post_id}']").wait_for(state="detached", timeout=2000)
        assert reader.problems.items == []
    finally:
        editor_context.close()
        reader_context.close()
