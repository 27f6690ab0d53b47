"""Pictures and the photo desk in a real browser, through the real server
(granian + demo newsroom; fixtures in news/tests/browser_fixtures.py)."""

import pytest

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LEAD_IMG = ".story__lead img"


def _loaded(page, selector: str) -> dict:
    page.wait_for_function(
        "s => { const i = document.querySelector(s); return i?.complete && i.naturalWidth > 0 }",
        arg=selector,
    )
    return page.eval_on_selector(
        selector, "i => ({src: i.currentSrc, width: i.naturalWidth, attr: i.getAttribute('width')})"
    )


def test_chromium_picks_the_avif_of_a_photo_with_its_renditions_made(page, site_url):
    # demo-0 leads with the first demo photo, whose renditions the fixture made.
    page.goto(f"{site_url}/world/demo-0/")
    lead = _loaded(page, LEAD_IMG)
    assert lead["src"].endswith(".avif"), lead
    assert lead["attr"] == "800"


def test_a_photo_without_renditions_yet_still_shows_through_the_image_view(page, site_url):
    # demo-5 leads with the sixth demo photo: nothing made for it yet.
    page.goto(f"{site_url}/opinion/demo-5/")
    assert page.locator(".story__lead source").count() == 0
    lead = _loaded(page, LEAD_IMG)
    assert "/images/" in lead["src"] and lead["width"] == 800, lead


def test_an_editor_logs_in_and_opens_the_expiring_photos_report(page, site_url):
    page.goto(f"{site_url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "broadsheet-editor")
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url == f"{site_url}/admin/", "the login POST went through the ASGI server"
    page.goto(f"{site_url}/admin/mediabank/expiring/?days=30&include_expired=on")
    assert page.locator("h1, h2").filter(has_text="Expiring photos").count() >= 1
