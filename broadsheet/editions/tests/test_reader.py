"""What readers get of editions: <html lang dir>, og:locale, hreflang
(crawled for reciprocity), the language switch and the chosen-edition offer."""

import re
from collections import deque
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage

pytestmark = pytest.mark.django_db

ORIGIN = settings.SITE_URL


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_attrs: dict = {}
        self.hreflang: dict[str, str] = {}
        self.og_locale: str | None = None
        self.og_alternates: list[str] = []
        self.links: list[str] = []
        self.switches: dict[str, list[dict]] = {"header": [], "footer": []}
        self.offers: list[dict] = []
        self._switch: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_attrs = attrs
        elif tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            assert attrs["hreflang"] not in self.hreflang, "an hreflang repeated"
            self.hreflang[attrs["hreflang"]] = attrs["href"]
        elif tag == "meta" and attrs.get("property") == "og:locale":
            self.og_locale = attrs["content"]
        elif tag == "meta" and attrs.get("property") == "og:locale:alternate":
            self.og_alternates.append(attrs["content"])
        elif tag == "details" and "edition-switch" in attrs.get("class", ""):
            self._switch = "header"
        elif tag == "nav" and "edition-switch" in attrs.get("class", ""):
            self._switch = "footer"
        elif tag == "p" and "data-edition-offer" in attrs:
            self.offers.append(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._switch and "data-edition-switch" in attrs:
                self.switches[self._switch].append(attrs)

    def handle_endtag(self, tag):
        if tag in ("details", "nav"):
            self._switch = None


def parse(response) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def path_of(url: str) -> str:
    assert url.startswith(ORIGIN), url
    return urlsplit(url).path


def without_clock(response) -> str:
    # The realtime resume point is the time of rendering.
    return re.sub(r'data-live-since="\d+"', "", response.content.decode())


def switch_urls(parsed: PageParser, where: str = "header") -> dict[str, str]:
    return {a["data-edition-switch"]: a["href"] for a in parsed.switches[where]}


@pytest.mark.parametrize(
    "language, prefix, direction, og",
    [("en", "/", "ltr", "en_GB"), ("ru", "/ru/", "ltr", "ru_RU"), ("ar", "/ar/", "rtl", "ar_AR")],
)
def test_html_lang_dir_and_og_locale(client, edition_tree, language, prefix, direction, og):
    for url in (prefix, edition_tree.story[language].url, f"{prefix}newsfeed/"):
        parsed = parse(client.get(url))
        assert parsed.html_attrs == {"lang": language, "dir": direction}, url
        assert parsed.og_locale == og
    story = parse(client.get(edition_tree.story[language].url))
    others = {"en_GB", "ru_RU", "es_ES", "ar_AR"} - {og}
    assert sorted(story.og_alternates) == sorted(others)


def test_a_translated_story_lists_every_edition_and_x_default(client, edition_tree):
    parsed = parse(client.get(edition_tree.story["ar"].url))
    assert {k: path_of(v) for k, v in parsed.hreflang.items()} == {
        "en": "/world/harbour-reopens/",
        "ru": edition_tree.story["ru"].url,
        "es": edition_tree.story["es"].url,
        "ar": edition_tree.story["ar"].url,
        "x-default": "/world/harbour-reopens/",
    }


def test_x_default_is_the_first_edition_with_the_page_when_english_has_none(client, edition_tree):
    original = edition_tree.russian_only
    translation = original.copy_for_translation(Locale.objects.get(language_code="ar"))
    translation.save_revision().publish()
    parsed = parse(client.get(original.url))
    assert set(parsed.hreflang) == {"ru", "ar", "x-default"}
    assert parsed.hreflang["x-default"] == parsed.hreflang["ru"]


def test_a_story_in_one_edition_has_no_alternates(client, edition_tree):
    parsed = parse(client.get(edition_tree.english_only.url))
    assert parsed.hreflang == {}
    assert parsed.og_alternates == []


def test_embargoed_draft_and_private_translations_are_never_linked(client, edition_tree):
    ArticlePage.objects.filter(pk=edition_tree.story["ru"].pk).update(
        published_at=timezone.now() + timedelta(hours=2)
    )
    edition_tree.story["es"].unpublish()
    PageViewRestriction.objects.create(
        page=edition_tree.story["ar"], restriction_type=PageViewRestriction.LOGIN
    )
    parsed = parse(client.get(edition_tree.story["en"].url))
    assert parsed.hreflang == {}
    switch = switch_urls(parsed)
    assert switch == {"en": "/world/harbour-reopens/", "ru": "/ru/", "es": "/es/", "ar": "/ar/"}
    html = client.get(edition_tree.story["en"].url).content.decode()
    for language in ("ru", "es", "ar"):
        assert edition_tree.story[language].url not in html


def test_listing_pages_after_the_first_and_queries_have_no_alternates(client, edition_tree):
    assert parse(client.get("/newsfeed/")).hreflang
    assert parse(client.get("/newsfeed/?view=compact")).hreflang == {}
    assert parse(client.get("/search/")).hreflang
    assert parse(client.get("/search/?q=harbour")).hreflang == {}
    assert parse(client.get("/world/?utm_source=x")).hreflang
    for every_edition in ("/feeds/", "/mediabank/", "/ar/chats/"):
        assert len(parse(client.get(every_edition)).hreflang) == 5, every_edition


def test_hreflang_crawl_is_reciprocal_and_every_target_is_right(client, edition_tree):
    """From each front page, follow site links a few levels and every
    hreflang; each set must be the same from every member (reciprocal), list
    the page itself, carry x-default, and each target answers 200 in its own
    <html lang>."""
    seen: dict[str, PageParser] = {}
    targets: set[str] = set()
    queue = deque((prefix, 0) for prefix in ("/", "/ru/", "/es/", "/ar/"))
    while queue and len(seen) < 120:
        path, depth = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 and depth > 0 and path not in targets:
            continue  # a link to a sign-in page or the like, not an hreflang target
        assert response.status_code == 200, path
        parsed = seen[path] = parse(response)
        for url in parsed.hreflang.values():
            targets.add(path_of(url))
            queue.appendleft((path_of(url), depth))
        if depth < 2:
            for href in parsed.links:
                if href.startswith("/") and not href.startswith(("/admin", "/static", "/media")):
                    queue.append((urlsplit(href).path, depth + 1))
    with_sets = {path: p for path, p in seen.items() if p.hreflang}
    assert len(with_sets) >= 12, sorted(with_sets)
    for path, parsed in with_sets.items():
        own = {k: path_of(v) for k, v in parsed.hreflang.items()}
        assert own[parsed.html_attrs["lang"]] == path, f"{path} does not list itself"
        assert "x-default" in own
        assert own["x-default"] in {v for k, v in own.items() if k != "x-default"}
        for language, target in own.items():
            if language == "x-default":
                continue
            other = seen[target]
            assert other.html_attrs["lang"] == language, target
            assert {k: path_of(v) for k, v in other.hreflang.items()} == own, (path, target)


def test_switch_goes_to_the_translation_or_the_edition_front_page(client, edition_tree):
    story = parse(client.get(edition_tree.story["en"].url))
    expected = {language: page.url for language, page in edition_tree.story.items()}
    assert switch_urls(story, "header") == expected
    assert switch_urls(story, "footer") == expected
    untranslated = parse(client.get(edition_tree.english_only.url))
    assert switch_urls(untranslated) == {
        "en": edition_tree.english_only.url,
        "ru": "/ru/",
        "es": "/es/",
        "ar": "/ar/",
    }
    # The masthead is memoised per language and section: the switch is not.
    assert switch_urls(parse(client.get(edition_tree.story["en"].url))) == expected


def test_switch_entries_name_each_language_in_itself(client, edition_tree):
    parsed = parse(client.get("/ar/"))
    names = {a["lang"]: a for a in parsed.switches["header"]}
    assert set(names) == {"en", "ru", "es", "ar"}
    assert all(a["hreflang"] == a["lang"] for a in names.values())
    assert names["ar"]["dir"] == "rtl" and names["ar"].get("aria-current") == "true"
    html = client.get("/ar/").content.decode()
    for name in ("English", "Русский", "Español", "العربية"):
        assert name in html


def test_switch_on_non_page_views_keeps_the_view(client, edition_tree):
    parsed = parse(client.get("/ru/search/?q=harbour"))
    assert switch_urls(parsed)["en"] == "/search/?q=harbour"
    assert switch_urls(parsed)["ar"] == "/ar/search/?q=harbour"
    parsed = parse(client.get("/newsfeed/?view=compact"))
    assert switch_urls(parsed)["es"] == "/es/newsfeed/"


def test_pages_are_the_same_whatever_language_the_reader_chose_before(client, edition_tree):
    """The choice lives in the reader's browser, not in a cookie or header
    the server reads: one address, one page (cacheable as it is)."""
    plain = without_clock(client.get("/"))
    client.cookies["django_language"] = "ru"
    assert without_clock(client.get("/", HTTP_ACCEPT_LANGUAGE="ar")) == plain
    response = client.get(edition_tree.story["en"].url, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200 and parse(response).html_attrs["lang"] == "en"
    assert not response.cookies


def test_the_default_front_page_offers_each_other_edition_hidden(client, edition_tree):
    parsed = parse(client.get("/"))
    offers = {o["data-edition-offer"]: o for o in parsed.offers}
    assert set(offers) == {"ru", "es", "ar"}
    assert all("hidden" in o for o in offers.values())
    assert offers["ar"]["dir"] == "rtl" and offers["ru"]["lang"] == "ru"
    assert parse(client.get("/ru/")).offers == []
    assert parse(client.get(edition_tree.story["en"].url)).offers == []


def test_masthead_links_home_in_its_edition(client, edition_tree):
    html = client.get(edition_tree.story["ru"].url).content.decode()
    assert '<a href="/ru/" class="masthead__name" rel="home">' in html


def test_a_new_story_is_in_the_switch_after_its_translation_is_published(client, edition_tree):
    """Both are kept per process for the content version: the publish of the
    translation is what moves it."""
    story = ArticlePageFactory(parent=edition_tree.world["en"], title="Late news")
    for _ in range(2):
        before = parse(client.get(story.url))
        assert switch_urls(before)["es"] == "/es/"
        assert switch_urls(before, "footer")["es"] == "/es/"
        assert before.hreflang == {}
    translation = story.copy_for_translation(Locale.objects.get(language_code="es"))
    translation.save_revision().publish()
    after = parse(client.get(story.url))
    assert switch_urls(after)["es"] == translation.url
    assert switch_urls(after, "footer")["es"] == translation.url
    assert set(after.hreflang) == {"en", "es", "x-default"}


def test_the_switch_and_alternates_cost_no_query_in_any_edition(client, edition_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paths = [edition_tree.story[code].url for code in ("en", "ru", "ar")]
    paths.append(edition_tree.english_only.url)
    for path in [*paths, "/newsfeed/", "/ar/newsfeed/"] * 2:
        client.get(path)  # warm the per-process memo

    def queries(path: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        return [q["sql"][:60] for q in captured]

    english = queries(edition_tree.story["en"].url)
    assert queries(edition_tree.story["ar"].url) == english
    assert queries(edition_tree.story["ru"].url) == english
    # Four hreflang links and a switch of translations cost what none do.
    assert queries(edition_tree.english_only.url) == english
    assert queries("/ar/newsfeed/") == queries("/newsfeed/")
