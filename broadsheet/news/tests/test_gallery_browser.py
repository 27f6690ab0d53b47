"""Browser tests for photo galleries: keys, buttons and swipes with JavaScript,
plain links and deep links without it.

Uses the demo newsroom's "The week in pictures" (browser_fixtures.py builds and
serves the site once per run, shared with test_browser.py).
"""

import re

import pytest

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI) without Playwright
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GALLERY = "/multimedia/the-week-in-pictures/"
SWIPE_STEPS = 8


def photo_path(n: int) -> str:
    return GALLERY if n == 1 else f"{GALLERY}{n}/"


def at_photo(site_url: str, n: int) -> re.Pattern:
    """The address of photo n, with or without the #photo fragment."""
    return re.compile(rf"^{re.escape(site_url + photo_path(n))}(#photo)?$")


def photo_count(page) -> int:
    return page.locator(".gallery__list > li").count()


def assert_on_photo(page, site_url: str, n: int):
    page.wait_for_url(at_photo(site_url, n))
    position = page.locator(".gallery__position")
    expect(position).to_have_text(re.compile(rf"^\s*{n} of {photo_count(page)}\s*$"))
    current = page.locator(".gallery__list > li").nth(n - 1)
    expect(current).to_have_class("is-current")
    expect(current.locator("a")).to_have_attribute("aria-current", "page")
    expect(page.locator('.gallery__list a[aria-current="page"]')).to_have_count(1)
    expect(page.locator(".gallery__current img")).to_have_attribute(
        "alt", current.locator("img").get_attribute("alt")
    )


def open_gallery(page, site_url: str, n: int = 1):
    page.goto(f"{site_url}{photo_path(n)}")
    expect(page.locator("[data-gallery]")).to_be_attached()
    assert photo_count(page) >= 4, "the demo gallery should have at least four photos"


def touch(page, fingers, on: str = ".gallery__current img"):
    """A touch gesture on `on`, sent as real touch input (CDP) so the browser
    makes the pointer events, and the pointercancel of a pan, itself.
    `fingers` is a list of (x offset from the centre, dx, dy), one per finger."""
    target = page.locator(on)
    target.scroll_into_view_if_needed()
    found = target.bounding_box()
    x, y = found["x"] + found["width"] / 2, found["y"] + found["height"] / 2

    def points(fraction):
        return [
            {"x": x + offset + dx * fraction, "y": y + dy * fraction, "id": n}
            for n, (offset, dx, dy) in enumerate(fingers)
        ]

    session = page.context.new_cdp_session(page)
    try:
        session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
        for step in range(1, SWIPE_STEPS + 1):
            session.send(
                "Input.dispatchTouchEvent",
                {"type": "touchMove", "touchPoints": points(step / SWIPE_STEPS)},
            )
        session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        session.detach()


def swipe(page, dx: float, dy: float = 0.0, on: str = ".gallery__current img"):
    touch(page, [(0, dx, dy)], on=on)


# ------------------------------------------------------------ with JavaScript


def test_arrow_keys_move_between_photos_and_deep_links(page, site_url):
    open_gallery(page, site_url)
    assert_on_photo(page, site_url, 1)

    page.keyboard.press("ArrowRight")
    assert_on_photo(page, site_url, 2)
    page.keyboard.press("ArrowRight")
    assert_on_photo(page, site_url, 3)
    page.keyboard.press("ArrowLeft")
    assert_on_photo(page, site_url, 2)
    page.keyboard.press("ArrowLeft")
    assert_on_photo(page, site_url, 1)


def test_arrow_keys_stop_at_the_ends(page, site_url):
    open_gallery(page, site_url)
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(300)
    assert_on_photo(page, site_url, 1)

    last = photo_count(page)
    open_gallery(page, site_url, last)
    expect(page.locator("[data-gallery-next]")).to_have_count(0)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    assert_on_photo(page, site_url, last)


def test_arrow_keys_with_a_modifier_are_left_to_the_browser(page, site_url):
    open_gallery(page, site_url, 2)
    page.keyboard.press("Alt+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.wait_for_timeout(300)
    assert_on_photo(page, site_url, 2)


def test_next_and_previous_buttons(page, site_url):
    open_gallery(page, site_url)
    expect(page.locator("[data-gallery-prev]")).to_have_count(0)
    page.locator("[data-gallery-next]").click()
    assert_on_photo(page, site_url, 2)
    page.locator("[data-gallery-next]").click()
    assert_on_photo(page, site_url, 3)
    page.locator("[data-gallery-prev]").click()
    assert_on_photo(page, site_url, 2)


def test_swipe_left_shows_the_next_photo_and_right_the_previous(mobile_page, site_url):
    page = mobile_page
    open_gallery(page, site_url, 2)
    swipe(page, dx=-200)
    assert_on_photo(page, site_url, 3)
    swipe(page, dx=200)
    assert_on_photo(page, site_url, 2)


def test_swipe_on_the_caption_also_moves(mobile_page, site_url):
    page = mobile_page
    open_gallery(page, site_url)
    swipe(page, dx=-200, on=".gallery__current figcaption")
    assert_on_photo(page, site_url, 2)


def test_tap_and_vertical_scroll_do_not_move(mobile_page, site_url):
    page = mobile_page
    open_gallery(page, site_url, 2)
    swipe(page, dx=0)
    swipe(page, dx=-30, dy=-250)
    swipe(page, dx=-20)
    page.wait_for_timeout(300)
    assert_on_photo(page, site_url, 2)


def test_two_finger_gesture_does_not_move(mobile_page, site_url):
    page = mobile_page
    open_gallery(page, site_url, 2)
    touch(page, [(-20, -100, 0), (20, 100, 0)])
    page.wait_for_timeout(300)
    assert_on_photo(page, site_url, 2)


# --------------------------------------------------------- without JavaScript


def test_without_js_every_photo_is_listed_as_a_link(page_without_js, site_url):
    page = page_without_js
    open_gallery(page, site_url)
    count = photo_count(page)
    expect(page.locator(".gallery__position")).to_have_text(re.compile(rf"1 of {count}"))
    links = page.locator(".gallery__list > li a")
    expect(links).to_have_count(count)
    expect(page.locator(".gallery__list img")).to_have_count(count)
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [f"{photo_path(n)}#photo" for n in range(1, count + 1)]
    for img in page.locator(".gallery__list img").all():
        assert img.get_attribute("alt") is not None


def test_without_js_previous_and_next_are_plain_links(page_without_js, site_url):
    page = page_without_js
    open_gallery(page, site_url)
    page.locator("[data-gallery-next]").click()
    assert_on_photo(page, site_url, 2)
    page.locator("[data-gallery-next]").click()
    assert_on_photo(page, site_url, 3)
    page.locator("[data-gallery-prev]").click()
    assert_on_photo(page, site_url, 2)
    page.locator(".gallery__list > li").last.locator("a").click()
    assert_on_photo(page, site_url, photo_count(page))
    expect(page.locator("[data-gallery-next]")).to_have_count(0)


def test_without_js_a_deep_link_opens_that_photo(page_without_js, site_url):
    page = page_without_js
    open_gallery(page, site_url, 3)
    assert_on_photo(page, site_url, 3)
    expect(page.locator("link[rel=prev]")).to_have_attribute("href", photo_path(2))
    expect(page.locator("link[rel=next]")).to_have_attribute("href", photo_path(4))


def test_without_js_a_photo_past_the_end_is_not_found(page_without_js, site_url):
    page = page_without_js
    open_gallery(page, site_url)
    beyond = photo_count(page) + 1
    response = page.goto(f"{site_url}{photo_path(beyond)}")
    assert response.status == 404
    page.problems.items.clear()
