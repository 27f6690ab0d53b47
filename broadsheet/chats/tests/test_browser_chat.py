"""Chats in a real browser (Chromium, three contexts) against the real ASGI
server with the realtime layer: two readers see each other's messages within
2 s, a reply quotes, a moderator deletes a message and it disappears for
both, and a hostile message executes nothing and reads as typed.
Fixtures: news/tests/browser_fixtures.py (`page` problems: console errors,
4xx/5xx loads and requests off the site fail the test)."""

import uuid

import pytest

from broadsheet.discussions.tests.browser_helpers import log_in

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "broadsheet-reader"
ROOM = "/chats/world-news/"
LIVE_MS = 2000
TAG = uuid.uuid4().hex[:8]
HOSTILE = [
    f"Hostile {TAG}",
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<a href="javascript:window.__xss=1">x</a> javascript:window.__xss=1',
    "</li></ol><svg onload=window.__xss=1>",
    "{{ 7|add:7 }} <b>not bold</b>",
]


def _send(page, text: str) -> int:
    box = page.locator("#chat-form textarea")
    box.fill(text)
    box.press("Enter")
    marker = text.split("\n")[0]
    mine = page.locator(".chat-msg", has_text=marker).last
    mine.wait_for()
    assert page.locator("[data-chat-error]:visible").count() == 0
    return int(mine.get_attribute("data-message-id"))


def _open_room(page, site_url):
    page.goto(site_url + ROOM)
    page.wait_for_selector("ol.chat-log[data-live-stream^='chat-']")


def test_two_readers_chat_live_and_a_moderator_deletes(browser, site_url):
    from broadsheet.news.tests.browser_fixtures import _close, _new_page

    opened = [_new_page(browser, site_url) for _ in range(2)]
    (ctx_a, mara), (ctx_b, tomas) = opened
    # The moderator's tab is not checked for console errors: for staff,
    # Wagtail's userbar logs its accessibility checker's findings about the
    # masthead and footer (site-wide, not the chats) as console errors.
    editor_context = browser.new_context(locale="en-GB", reduced_motion="reduce")
    editor_context.set_default_timeout(10_000)
    editor = editor_context.new_page()
    try:
        log_in(mara, site_url, "reader@broadsheet.localhost", PASSWORD)
        log_in(tomas, site_url, "tomas@broadsheet.localhost", PASSWORD)
        editor.goto(f"{site_url}/admin/login/")
        editor.fill("#id_username", "editor")
        editor.fill("#id_password", "broadsheet-editor")
        with editor.expect_navigation():
            editor.click("button[type=submit]")
        for page in (mara, tomas, editor):
            _open_room(page, site_url)

        hello = f"Hello from Mara {TAG}"
        hello_id = _send(mara, hello)
        tomas.locator(f"#chat-msg-{hello_id}").wait_for(timeout=LIVE_MS)
        assert hello in tomas.locator(f"#chat-msg-{hello_id}").inner_text()
        # Buttons per reader, added to a message that arrived live.
        assert mara.locator(f"#chat-msg-{hello_id} .chat-msg__delete").count() == 1
        assert tomas.locator(f"#chat-msg-{hello_id} .chat-msg__delete").count() == 0

        tomas.locator(f"#chat-msg-{hello_id} [data-chat-reply]").click()
        assert tomas.locator("[data-chat-reply-box]").is_visible()
        reply_id = _send(tomas, f"Reply from Tomás {TAG}")
        quote = mara.locator(f"#chat-msg-{reply_id} .chat-msg__quote")
        quote.wait_for(timeout=LIVE_MS)
        assert hello in quote.inner_text()

        # The moderator's page got the reply live, with the moderator's buttons.
        editor.locator(f"#chat-msg-{reply_id}").wait_for(timeout=LIVE_MS)
        editor.locator(f"#chat-msg-{reply_id} .chat-msg__delete").click()
        for page in (editor, mara, tomas):
            page.locator(f"#chat-msg-{reply_id}").wait_for(state="detached", timeout=LIVE_MS)
        assert mara.locator(f"#chat-msg-{hello_id}").count() == 1

        # Closing the room takes the form away from open pages; reopening brings it back.
        editor.locator("[data-chat-mod] summary").click()
        with editor.expect_navigation():
            editor.click("[data-chat-mod] button[value=closed]")
        mara.locator("[data-chat-form]").wait_for(state="hidden", timeout=LIVE_MS)
        assert mara.locator("[data-chat-closed]").is_visible()
        editor.locator("[data-chat-mod] summary").click()
        with editor.expect_navigation():
            editor.click("[data-chat-mod] button[value=open]")
        mara.locator("[data-chat-form]").wait_for(state="visible", timeout=LIVE_MS)

        # After a reload the deleted message stays gone.
        tomas.reload()
        assert tomas.locator(f"#chat-msg-{reply_id}").count() == 0
        assert tomas.locator(f"#chat-msg-{hello_id}").count() == 1
    finally:
        editor_context.close()
        for context, page in opened:
            _close(context, page)


def test_a_hostile_message_executes_nothing(browser, site_url):
    from broadsheet.news.tests.browser_fixtures import _close, _new_page

    opened = [_new_page(browser, site_url) for _ in range(2)]
    (ctx_a, keiko), (ctx_b, watcher) = opened
    try:
        log_in(keiko, site_url, "keiko@broadsheet.localhost", PASSWORD)
        _open_room(keiko, site_url)
        _open_room(watcher, site_url)  # anonymous: reads only
        assert watcher.locator("[data-chat-login]").count() == 1
        message_id = _send(keiko, "\n".join(HOSTILE))
        for page in (keiko, watcher):
            item = page.locator(f"#chat-msg-{message_id}")
            item.wait_for(timeout=LIVE_MS)
            page.wait_for_timeout(500)  # time for an injected onerror/onload to fire
            assert page.evaluate("typeof window.__xss") == "undefined"
            log = page.locator("ol.chat-log")
            assert log.locator("script, img, svg, b, [onerror], [onload]").count() == 0
            assert log.locator("a[href^='javascript:' i]").count() == 0
            text = item.locator(".chat-msg__text").inner_text()
            for line in HOSTILE:
                assert line in text
        # And after a reload (server-rendered this time).
        watcher.reload()
        watcher.wait_for_timeout(300)
        assert watcher.evaluate("typeof window.__xss") == "undefined"
        assert watcher.locator("ol.chat-log script, ol.chat-log img").count() == 0
    finally:
        for context, page in opened:
            _close(context, page)
