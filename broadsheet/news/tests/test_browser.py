"""Browser tests: the real site (granian + demo newsroom) in Debian's Chromium.

Fixtures live in browser_fixtures.py. All tests share one xdist group, so the
site is built and served once per run.
"""

import re
import urllib.request
from functools import cache
from types import SimpleNamespace

import pytest

pytest_plugins = ["broadsheet.news.tests.browser_fixtures"]

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (fails under CI) without Playwright
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FEED_PAGE_SIZE = 20  # settings.BROADSHEET_FEED_PAGE_SIZE
JS_PATH = "broadsheet/static/js/broadsheet.js"


# ------------------------------------------------------------------ helpers


@cache
def _html(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def newsfeed_paths(site_url: str) -> list[str]:
    """Story paths on the first newsfeed page, newest first."""
    html = _html(f"{site_url}/newsfeed/")
    return re.findall(r'<li class="feed-item"[^>]*>.*?<a href="([^"]+)"', html, flags=re.S)


def complete_story(site_url: str) -> str:
    """The newest story that has every part the article template can show."""
    needles = [
        'class="kicker__section"',
        'rel="author"',
        'class="caption"',
        'class="credit"',
        'rel="tag"',
        "data-next-story-link",
    ]
    for path in newsfeed_paths(site_url):
        html = _html(f"{site_url}{path}")
        if all(needle in html for needle in needles):
            return path
    pytest.fail("no demo story has a byline, photo caption and credit, tags and a next story")


def box(locator):
    """The element's box in document coordinates (independent of scrolling)."""
    found = locator.evaluate(
        """el => {
            const r = el.getBoundingClientRect();
            return {x: r.x + window.scrollX, y: r.y + window.scrollY,
                    width: r.width, height: r.height};
        }"""
    )
    return SimpleNamespace(**found)


def assert_visible(page, selector: str):
    locator = page.locator(selector).first
    expect(locator).to_be_visible()
    found = box(locator)
    assert found.width > 0 and found.height > 0, f"{selector} has no size"
    return locator


def scroll_to_end(page):
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")


def story_count(page) -> int:
    return page.locator("[data-story]").count()


# --------------------------------------------------------------- front page


def test_front_page_shows_sections_lead_recent_and_newsfeed(page, site_url):
    page.goto(f"{site_url}/")
    expect(page).to_have_title(re.compile(r"\S"))
    nav = assert_visible(page, "nav.sections")
    assert nav.locator("a").count() >= 5
    assert_visible(page, ".front__lead .teaser")
    assert_visible(page, ".front__lead .teaser__title a")
    assert_visible(page, "#most-recent-title")
    assert page.locator(".recent-list > li").count() >= 3
    assert_visible(page, ".recent-list > li .teaser__title a")
    assert_visible(page, ".newsfeed-box")
    assert page.locator(".newsfeed-box .feed-item").count() >= 5


# ------------------------------------------------------------------ article

ARTICLE_PARTS = [
    ("site name", ".masthead__name"),
    ("section nav", "nav.sections"),
    ("section label", "[data-story] .kicker__section"),
    ("kind label", "[data-story] .kicker__kind"),
    ("headline", "[data-story] .story__title"),
    ("standfirst", "[data-story] .story__standfirst"),
    ("byline", "[data-story] .byline"),
    ("time", "[data-story] .dateline time"),
    ("lead photo", "[data-story] .story__lead img"),
    ("caption", "[data-story] .story__lead .caption"),
    ("credit line", "[data-story] .story__lead .credit"),
    ("body", "[data-story] .story__body"),
    ("tags", "[data-story] .story__tags"),
]
NEWSFEED = ("newsfeed", ".newsfeed-box")


def _follows(earlier, later, tolerance=4) -> bool:
    """`later` starts below `earlier`, or on the same line to its right."""
    if later.y >= earlier.y + earlier.height - tolerance:
        return True
    same_line = later.y < earlier.y + earlier.height and earlier.y < later.y + later.height
    return later.y >= earlier.y - tolerance and (not same_line or later.x >= earlier.x)


def _check_article_layout(page, site_url, *, one_column: bool):
    path = complete_story(site_url)
    page.goto(f"{site_url}{path}")
    locators = {name: assert_visible(page, selector) for name, selector in ARTICLE_PARTS}
    newsfeed = assert_visible(page, NEWSFEED[1])

    # DOM order is reading order, whatever the layout.
    names = [name for name, _ in ARTICLE_PARTS] + ["newsfeed"]
    handles = [locators[name].element_handle() for name, _ in ARTICLE_PARTS]
    handles.append(newsfeed.element_handle())
    for i in range(len(names) - 1):
        a, b, ha, hb = names[i], names[i + 1], handles[i], handles[i + 1]
        follows = page.evaluate(
            "([a, b]) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)",
            [ha, hb],
        )
        assert follows, f"{b} comes before {a} in the document"

    # And on screen, top to bottom.
    boxes = {name: box(locators[name]) for name, _ in ARTICLE_PARTS}
    boxes["newsfeed"] = box(newsfeed)
    for a, b in zip(names, names[1:], strict=False):
        if b == "newsfeed" and not one_column:
            # On a wide screen the newsfeed may sit beside the story instead.
            story = box(page.locator("[data-story]").first)
            beside = boxes[b].x >= story.x + story.width - 4
            below = _follows(boxes["tags"], boxes[b])
            assert beside or below, "the newsfeed is neither below nor beside the story"
            continue
        assert _follows(boxes[a], boxes[b]), f"{b} {boxes[b]} is not below {a} {boxes[a]}"

    headline = locators["headline"].inner_text().strip()
    assert headline and headline in page.title()
    assert locators["time"].get_attribute("datetime")
    loaded = page.evaluate(
        "img => img.complete && img.naturalWidth > 0", locators["lead photo"].element_handle()
    )
    assert loaded, "the lead photo did not load"
    assert locators["lead photo"].get_attribute("alt"), "the lead photo has no alt text"


def test_article_shows_every_part_in_reading_order(page, site_url):
    _check_article_layout(page, site_url, one_column=False)


def test_article_on_a_phone_is_one_column_in_reading_order(mobile_page, site_url):
    _check_article_layout(mobile_page, site_url, one_column=True)


# ----------------------------------------------------------------- newsfeed


def _feed_links(page) -> list[str]:
    return page.locator(".feed-list--page .feed-item a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def test_newsfeed_loads_more_items_on_scroll(page, site_url):
    more_responses = []
    page.on("response", lambda r: more_responses.append(r) if "before=" in r.url else None)
    page.goto(f"{site_url}/newsfeed/")
    items = page.locator(".feed-list--page .feed-item")
    first_page = _feed_links(page)[:FEED_PAGE_SIZE]
    assert len(first_page) == FEED_PAGE_SIZE

    scroll_to_end(page)
    expect(items).not_to_have_count(FEED_PAGE_SIZE)
    assert more_responses, "no request for more items"
    response = more_responses[0]
    assert response.request.headers.get("hx-request") == "true"
    assert "<html" not in response.text()  # only the items partial
    links = _feed_links(page)
    assert len(links) > FEED_PAGE_SIZE
    assert links[:FEED_PAGE_SIZE] == first_page
    assert len(links) == len(set(links)), "a story is listed twice"
    days = page.locator(".feed-list--page .feed-day").all_inner_texts()
    assert len(days) == len(set(days)), f"a day heading is repeated: {days}"
    times = page.locator(".feed-list--page .feed-item time").evaluate_all(
        "ts => ts.map(t => t.getAttribute('datetime'))"
    )
    assert times == sorted(times, reverse=True), "items are not newest first"
    assert page.url == f"{site_url}/newsfeed/"  # htmx swapped, nothing navigated
    # The demo has fewer than two pages of stories: the list ends without "More".
    expect(page.locator(".feed-more")).to_have_count(0)
    expect(page.locator("[data-announcer]")).to_contain_text("more stories loaded")


def test_newsfeed_keyboard_focus_moves_to_the_first_new_story(page, site_url):
    """Tabbing to "More" scrolls it into view, which loads the next items and
    removes the link; focus goes to the first new story, not to the page top."""
    page.goto(f"{site_url}/newsfeed/")
    first_page = _feed_links(page)[:FEED_PAGE_SIZE]
    page.locator(".feed-more a").focus()
    items = page.locator(".feed-list--page .feed-item")
    expect(items).not_to_have_count(FEED_PAGE_SIZE)
    focused = page.locator(".feed-list--page .feed-item a:focus")
    expect(focused).to_have_count(1)
    links = _feed_links(page)
    assert focused.get_attribute("href") == links[FEED_PAGE_SIZE]
    assert links[FEED_PAGE_SIZE] not in first_page
    assert len(links) == len(set(links)), "a story is listed twice"


def test_newsfeed_more_falls_back_to_the_link_when_htmx_fails(page, site_url):
    def fail_htmx(route):
        if route.request.headers.get("hx-request"):
            route.fulfill(status=500, body="boom", content_type="text/plain")
        else:
            route.continue_()

    page.route(re.compile(r"/newsfeed/\?before="), fail_htmx)
    page.goto(f"{site_url}/newsfeed/")
    first_page = _feed_links(page)[:FEED_PAGE_SIZE]
    page.locator(".feed-more a").click()
    page.wait_for_url(re.compile(r"/newsfeed/\?before="))
    second_page = _feed_links(page)
    assert second_page and not set(second_page) & set(first_page)
    # The browser logs the refused htmx requests; those are the point here.
    page.problems.items[:] = [item for item in page.problems.items if "before=" not in item]


def test_newsfeed_more_link_without_js_opens_older_page(page_without_js, site_url):
    page = page_without_js
    page.goto(f"{site_url}/newsfeed/")
    first_page = _feed_links(page)
    assert len(first_page) == FEED_PAGE_SIZE
    oldest_shown = page.locator(".feed-list--page .feed-item time").last.get_attribute("datetime")
    page.locator(".feed-more a").click()
    page.wait_for_url(re.compile(r"/newsfeed/\?before="))
    expect(page.locator("h1")).to_have_text("Newsfeed")
    second_page = _feed_links(page)
    assert second_page and not set(second_page) & set(first_page)
    times = page.locator(".feed-list--page .feed-item time").evaluate_all(
        "ts => ts.map(t => t.getAttribute('datetime'))"
    )
    assert max(times) <= oldest_shown, "the next page is not older"


# --------------------------------------------------------------- next story


def _open_newest_story_from_newsfeed(page, site_url) -> str:
    """Arrive on the newest story the way a reader does, so Back has somewhere to go."""
    page.goto(f"{site_url}/newsfeed/")
    path = newsfeed_paths(site_url)[0]
    page.locator(f'.feed-list--page a[href="{path}"]').click()
    page.wait_for_url(f"{site_url}{path}")
    return path


def test_next_story_appends_and_address_follows_the_story_in_view(page, site_url):
    path = _open_newest_story_from_newsfeed(page, site_url)
    first_title = page.title()
    history_length = page.evaluate("history.length")
    link = page.locator("[data-next-story-link]")
    next_path = link.get_attribute("href")
    next_headline = link.inner_text().strip()

    scroll_to_end(page)
    second = page.locator("[data-story]").nth(1)
    expect(second).to_be_attached()
    assert second.get_attribute("data-url") == next_path
    expect(second.locator(".story__title")).to_have_text(next_headline)
    # The old "next story" block was replaced by the new story's own.
    expect(page.locator("[data-next-story]")).to_have_count(1)
    assert page.locator("[data-next-story-link]").get_attribute("href") not in (path, next_path)
    expect(page.locator("[data-announcer]")).to_contain_text(next_headline)

    second.locator(".story__title").evaluate("h => h.scrollIntoView({block: 'start'})")
    expect(page).to_have_url(f"{site_url}{next_path}")
    expect(page).to_have_title(second.get_attribute("data-title"))
    assert next_headline in page.title()
    # replaceState: reading on does not stack history entries.
    assert page.evaluate("history.length") == history_length

    page.evaluate("window.scrollTo(0, 0)")
    expect(page).to_have_url(f"{site_url}{path}")
    expect(page).to_have_title(first_title)

    # Back leaves the stream for where the reader came from, in one step.
    second.locator(".story__title").evaluate("h => h.scrollIntoView({block: 'start'})")
    expect(page).to_have_url(f"{site_url}{next_path}")
    page.go_back()
    expect(page).to_have_url(f"{site_url}/newsfeed/")
    # ...and Forward returns to the story that was on screen.
    page.go_forward()
    expect(page).to_have_url(f"{site_url}{next_path}")
    expect(page.locator("[data-story] .story__title").first).to_be_visible()

    # A reload opens the story that was in view, at its top (not at the old
    # offset into the longer stream, which would land at its end).
    page.reload()
    expect(page.locator("[data-story]").first).to_have_attribute("data-url", next_path)
    page.wait_for_load_state("load")
    assert page.evaluate("window.scrollY") == 0


def test_next_story_takes_keyboard_focus_to_the_story_it_loads(page, site_url):
    page.goto(f"{site_url}{newsfeed_paths(site_url)[0]}")
    link = page.locator("[data-next-story-link]")
    headline = link.inner_text().strip()
    link.focus()  # as Tab does: scrolled into view, so the next story loads
    expect(page.locator("[data-story]").nth(1)).to_be_attached()
    focused = page.locator("[data-story]").nth(1).locator(".story__title")
    expect(focused).to_be_focused()
    expect(focused).to_have_text(headline)


def test_next_story_stops_at_the_cap_and_keeps_a_plain_link(page, site_url):
    page.goto(f"{site_url}{newsfeed_paths(site_url)[0]}")
    stories = page.locator("[data-story]")
    count = 1
    while count < 10:
        scroll_to_end(page)
        page.wait_for_function(
            "n => document.querySelectorAll('[data-story]').length > n", arg=count
        )
        count = stories.count()
    for _ in range(3):
        scroll_to_end(page)
        page.wait_for_timeout(200)
    expect(stories).to_have_count(10)
    urls = stories.evaluate_all("s => s.map(a => a.dataset.url)")
    assert len(urls) == len(set(urls))
    last_link = page.locator("[data-next-story-link]")
    expect(last_link).to_have_count(1)
    expect(last_link).to_be_visible()
    href = last_link.get_attribute("href")
    assert href not in urls
    last_link.click()
    page.wait_for_url(f"{site_url}{href}")
    expect(page.locator("[data-story]")).to_have_count(1)


def test_next_story_link_still_works_when_the_fetch_fails(page, site_url):
    path = newsfeed_paths(site_url)[0]
    page.goto(f"{site_url}{path}")
    next_path = page.locator("[data-next-story-link]").get_attribute("href")
    page.route(f"{site_url}{next_path}", lambda route: route.abort(), times=1)
    scroll_to_end(page)
    expect(page.locator("[data-next-story][data-next-story-failed]")).to_have_count(1)
    expect(page.locator("[data-story]")).to_have_count(1)
    expect(page.locator("[data-announcer]")).to_contain_text("could not be loaded")
    # The browser logs the aborted fetch; that error is the point of this test.
    page.problems.items[:] = [item for item in page.problems.items if next_path not in item]
    page.locator("[data-next-story-link]").click()
    page.wait_for_url(f"{site_url}{next_path}")
    expect(page.locator("[data-story]").first).to_have_attribute("data-url", next_path)


def test_next_story_link_without_js_navigates(page_without_js, site_url):
    page = page_without_js
    page.goto(f"{site_url}{newsfeed_paths(site_url)[0]}")
    link = page.locator("[data-next-story-link]")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    headline = link.inner_text().strip()
    link.click()
    page.wait_for_url(f"{site_url}{href}")
    expect(page.locator("[data-story]")).to_have_count(1)
    expect(page.locator(".story__title")).to_have_text(headline)


# ------------------------------------------------------------ console errors


def test_pages_have_no_console_errors(page, site_url):
    """The `page` fixture fails the test on any console error, uncaught
    exception, failed request on the site, or request off the site."""
    story = complete_story(site_url)
    html = _html(f"{site_url}{story}")
    author = re.search(r'href="([^"]+)" rel="author"', html)[1]
    tag = re.search(r'href="([^"]+)" rel="tag"', html)[1]
    section = re.search(r'class="kicker__section" href="([^"]+)"', html)[1]
    paths = ["/", "/newsfeed/", f"/newsfeed/?section={section.strip('/')}"]
    for path in [*paths, story, section, tag, author]:
        page.goto(f"{site_url}{path}")
        expect(page.locator("main")).to_be_visible()
        scroll_to_end(page)  # lazy images, "More", the next story
        page.wait_for_load_state("networkidle")
        page.wait_for_function("!document.querySelector('[aria-busy=true], .htmx-request')")
        assert not page.problems.items, f"{path}: {page.problems.items}"


# ------------------------------------------------------------------- embeds


def _embed_html(monkeypatch, provider_html: str) -> str:
    from broadsheet.core.blocks import embeds as embeds_module

    embed = SimpleNamespace(
        html=provider_html, provider_name="Example Video", title="A video", type="video"
    )
    monkeypatch.setattr(embeds_module, "stored_embed", lambda url: embed)
    block = embeds_module.PrivacyEmbedBlock()
    value = block.to_python({"url": "https://video.example/watch?v=1", "title": "A video"})
    return block.render(value)


def test_embed_loads_provider_content_only_after_click(browser, monkeypatch, settings):
    """The embed block as rendered by Django, with broadsheet.js, on a stub page."""
    figure = _embed_html(
        monkeypatch,
        '<iframe src="https://video.example/embed/1" title="A video"></iframe>'
        '<script src="https://video.example/widget.js"></script>',
    )
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Embed</title>'
        '<script src="/broadsheet.js" defer></script></head>'
        f"<body><main>{figure}</main></body></html>"
    )
    script = (settings.BASE_DIR / JS_PATH).read_text()
    third_party: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        def site(route):
            path = route.request.url.split("/", 3)[3]
            if path == "broadsheet.js":
                route.fulfill(body=script, content_type="text/javascript")
            else:
                route.fulfill(body=document, content_type="text/html")

        def provider(route):
            third_party.append(route.request.url)
            if route.request.url.endswith(".js"):
                route.fulfill(body="window.widgetRan = true;", content_type="text/javascript")
            else:
                route.fulfill(body="<p>video</p>", content_type="text/html")

        context.route("http://broadsheet.test/**", site)
        context.route("https://video.example/**", provider)
        page.goto("http://broadsheet.test/story/")

        button = page.locator("[data-embed-load]")
        expect(button).to_be_visible()
        expect(button).to_have_text("Load content from Example Video")
        expect(page.locator("iframe")).to_have_count(0)
        page.wait_for_timeout(200)
        assert third_party == [], "the provider was contacted before the click"

        button.click()
        expect(page.locator(".embed__consent")).to_have_count(0)
        expect(page.locator("[data-embed] iframe")).to_have_count(1)
        expect(page.locator("[data-embed] figcaption a")).to_have_attribute(
            "href", "https://video.example/watch?v=1"
        )
        page.wait_for_function("window.widgetRan === true")
        assert "https://video.example/embed/1" in third_party
        assert errors == []
    finally:
        context.close()


def test_embed_without_js_is_a_plain_link(browser, monkeypatch):
    figure = _embed_html(monkeypatch, '<iframe src="https://video.example/embed/1"></iframe>')
    context = browser.new_context(java_script_enabled=False)
    requests: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.set_content(f'<!doctype html><html lang="en"><body>{figure}</body></html>')
        expect(page.locator("[data-embed-load]")).to_be_hidden()
        expect(page.locator("iframe")).to_have_count(0)
        expect(page.get_by_role("link", name="A video")).to_be_visible()
        assert not [url for url in requests if "video.example" in url]
    finally:
        context.close()
