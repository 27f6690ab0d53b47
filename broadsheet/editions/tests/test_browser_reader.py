"""Editions in Chromium: Arabic right-to-left, no horizontal scroll on a
320 px phone in any edition, the language switch and the remembered choice.

A demo site of its own (browser_fixtures.py's steps) with ru/es/ar editions
(`demo_editions_install`, idempotent once the demo has its own). Set
BROADSHEET_SCREENSHOTS=<dir> to keep screenshots of /ar/ and /ru/ (1280 and
375 px, light and dark) for a person to look at.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.news.tests.browser_fixtures import (
    REPO,
    _close,
    _free_port,
    _new_page,
    _run,
    _wait_until_up,
    _work_dir,
    server_command,
    site_env,
)

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI) without Playwright
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ("en", "ru", "es", "ar")


@pytest.fixture(scope="session")
def edition_site(chromium_path, tmp_path_factory):
    """(base URL, paths) of a demo site of its own with ru/es/ar editions
    installed before its server starts: Wagtail keeps the sites' root paths
    in each process's cache (no Redis here), so front pages added while a
    server runs would not be seen by it (see NOTES-reader.md)."""
    root = _work_dir(tmp_path_factory)
    log = root / "site.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = site_env(root, url)
    try:
        _run(["collectstatic", "--noinput", "-v0"], env, log)
        _run(["migrate", "--noinput", "--skip-checks", "-v0"], env, log)
        _run(["load_demo", "--articles", "12", "--photos", "6", "--no-progress"], env, log)
        _run(["make_renditions", "--limit", "2", "--no-progress"], env, log)
        code = (
            "import json; from broadsheet.editions.tests.fixtures import demo_editions_install; "
            "print('PATHS=' + json.dumps(demo_editions_install()))"
        )
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode:
            pytest.fail(f"demo editions failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        line = next(x for x in result.stdout.splitlines() if x.startswith("PATHS="))
        paths = json.loads(line.removeprefix("PATHS="))
        with log.open("ab") as out:
            server = subprocess.Popen(
                server_command(port), cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        try:
            _wait_until_up(f"{url}/", server, log)
            yield url, paths
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def site_url(edition_site):
    # The `page` fixtures of browser_fixtures.py open this site.
    return edition_site[0]


@pytest.fixture(scope="session")
def edition_paths(edition_site) -> dict[str, dict[str, str]]:
    """language → {"story", "gallery", "live"} paths on the edition site."""
    return edition_site[1]


def prefix(language: str) -> str:
    return "/" if language == "en" else f"/{language}/"


def pages_of(language: str, paths: dict) -> list[str]:
    own = paths[language]
    return [
        prefix(language),
        own["story"],
        own["gallery"],
        own["live"],
        f"{prefix(language)}newsfeed/",
        f"{prefix(language)}subscribe/",
    ]


@pytest.mark.parametrize("kind", ["front", "story"])
def test_arabic_pages_start_at_the_right(page, site_url, edition_paths, kind):
    path = "/ar/" if kind == "front" else edition_paths["ar"]["story"]
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    brand = page.locator(".masthead__brand").bounding_box()
    tools = page.locator(".masthead__tools").bounding_box()
    width = page.viewport_size["width"]
    # The site name sits at the start edge, which is the right one.
    assert brand["x"] > tools["x"] + tools["width"] - 1
    assert width - (brand["x"] + brand["width"]) < brand["x"]
    nav = page.locator(".sections__list li").first.bounding_box()
    assert nav["x"] > width / 2
    align = page.evaluate("getComputedStyle(document.querySelector('main h1, main h2')).textAlign")
    assert align in ("start", "right")
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Arabic" in font and "DejaVu Sans" in font


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_horizontal_scroll_on_a_320px_phone(browser, site_url, edition_paths, language):
    context, page = _new_page(
        browser, site_url, viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True
    )
    try:
        for path in pages_of(language, edition_paths):
            page.goto(site_url + path)
            assert page.evaluate("document.documentElement.lang") == language
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 320, f"{path} scrolls sideways: {width}px"
    finally:
        _close(context, page)


def test_the_switch_goes_to_the_translation_and_the_choice_is_offered_later(
    page, site_url, edition_paths
):
    page.goto(site_url + edition_paths["en"]["story"])
    page.locator("details.edition-switch summary").click()
    page.locator("details.edition-switch a[hreflang='ru']").click()
    page.wait_for_url(site_url + edition_paths["ru"]["story"])
    assert page.evaluate("document.documentElement.lang") == "ru"

    page.goto(site_url + "/")
    offer = page.locator("[data-edition-offer='ru']")
    expect(offer).to_be_visible()
    expect(page.locator("[data-edition-offer='ar']")).to_be_hidden()
    assert offer.locator("a").get_attribute("href") == "/ru/"
    offer.locator("[data-edition-offer-dismiss]").click()
    expect(offer).to_be_hidden()
    page.reload()
    expect(page.locator("[data-edition-offer='ru']")).to_be_hidden()


def test_without_javascript_the_switch_is_plain_links(page_without_js, site_url, edition_paths):
    page = page_without_js
    page.goto(site_url + "/ar/")
    page.locator("details.edition-switch summary").click()
    page.locator("details.edition-switch a[hreflang='es']").click()
    page.wait_for_url(site_url + "/es/")
    page.goto(site_url + "/")
    expect(page.locator("[data-edition-offer]").first).to_be_hidden()


def test_arabic_gallery_arrows_follow_the_reading_direction(page, site_url, edition_paths):
    gallery = edition_paths["ar"]["gallery"]
    page.goto(site_url + gallery)
    page.keyboard.press("ArrowLeft")  # toward the end of an Arabic line: next photo
    page.wait_for_url(f"{site_url}{gallery}2/#photo")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(f"{site_url}{gallery}#photo")


def test_screenshots(browser, site_url, edition_paths, tmp_path):
    """Screenshots of the RTL and Cyrillic editions, light and dark, desktop
    and phone. Set BROADSHEET_SCREENSHOTS=<folder> to keep them and look; a
    full-page phone shot wider than the phone means something overflows."""
    folder = Path(os.environ.get("BROADSHEET_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for width in (1280, 375):
            context, page = _new_page(
                browser, site_url, viewport={"width": width, "height": 900}, color_scheme=scheme
            )
            try:
                for language in ("ar", "ru"):
                    for kind, path in (("front", prefix(language)), ("story", None)):
                        page.goto(site_url + (path or edition_paths[language]["story"]))
                        name = f"{language}-{kind}-{width}-{scheme}.png"
                        shot = page.screenshot(path=str(folder / name), full_page=width == 375)
                        # PNG: the width is the big-endian int at bytes 16-19.
                        assert int.from_bytes(shot[16:20], "big") == width, name
            finally:
                _close(context, page)
