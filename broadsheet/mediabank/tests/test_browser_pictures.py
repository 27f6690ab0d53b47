"""Pictures and the photo desk in a real browser, through the real server
(granian + demo newsroom; fixtures in news/tests/browser_fixtures.py)."""

import sqlite3

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


def _story_leading_with(site_root, photo_title_start: str) -> str:
    """The path of a demo story whose lead photo is the given demo photo (read
    from the site's database: demo stories are addressed by their headlines)."""
    with sqlite3.connect(site_root / "site.sqlite3") as db:
        (url_path,) = db.execute(
            "SELECT page.url_path FROM wagtailcore_page page"
            " JOIN news_articlepage story ON story.page_ptr_id = page.id"
            " JOIN mediabank_photo photo ON photo.id = story.lead_photo_id"
            " WHERE photo.title LIKE ? ORDER BY page.id LIMIT 1",
            (f"{photo_title_start}%",),
        ).fetchone()
    return "/" + url_path.split("/", 2)[2]  # without the site root page's slug


def test_chromium_picks_the_avif_of_a_photo_with_its_renditions_made(page, site_url, site_root):
    # The first demo photo, whose renditions the fixture made.
    page.goto(site_url + _story_leading_with(site_root, "Demo photo 1:"))
    lead = _loaded(page, LEAD_IMG)
    assert lead["src"].endswith(".avif"), lead
    assert lead["attr"] == "800"


def test_a_photo_without_renditions_yet_still_shows_through_the_image_view(
    page, site_url, site_root
):
    # The sixth demo photo: nothing made for it yet.
    page.goto(site_url + _story_leading_with(site_root, "Demo photo 6:"))
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
