"""Every listing, feed, sitemap and search of an edition shows that
edition's stories only (issue 13)."""

import json
from datetime import UTC

import feedparser
import pytest
from defusedxml import ElementTree as ET
from django.conf import settings

from broadsheet.editions.tests.fixtures_listings import *  # noqa: F403
from broadsheet.news.testing import sitemap_files

SITE = settings.SITE_URL
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}

EN_ONLY = "Cranes idle in the Quillmark port"
EN_SOURCE = "Harbour reopens after the storm"
RU_COPY = "Гавань открылась после шторма"
RU_ONLY = "Метро Квиллмарка закрыто на ремонт"
AR_ONLY = "افتتاح ميناء كويلمارك"
ES_ONLY = "El puerto de Quillmark abre de nuevo"
TITLES = {"en": {EN_ONLY, EN_SOURCE}, "ru": {RU_COPY, RU_ONLY}, "ar": {AR_ONLY}, "es": {ES_ONLY}}
ALL_TITLES = set().union(*TITLES.values())


@pytest.fixture
def stories(newsroom):
    found = {
        "en_only": newsroom.story("en", EN_ONLY, minutes_ago=5),
        "source": newsroom.story("en", EN_SOURCE, minutes_ago=10),
        "ru_only": newsroom.story("ru", RU_ONLY, minutes_ago=3),
        "ar_only": newsroom.story("ar", AR_ONLY, minutes_ago=4),
        "es_only": newsroom.story("es", ES_ONLY, minutes_ago=6),
    }
    found["ru_copy"] = newsroom.translate(found["source"], "ru", RU_COPY)
    return found


def prefixed(code: str, path: str) -> str:
    return path if code == "en" else f"/{code}{path}"


def shown(html: str) -> set[str]:
    return {title for title in ALL_TITLES if title in html}


LISTINGS = [
    "/",
    "/world/",
    "/newsfeed/",
    "/newsfeed/?section=world",
    "/topics/harbour/",
    "/authors/amara-okafor/",
]
# Each edition's own spelling of a name every edition writes about.
SEARCHES = {"en": "Quillmark", "ru": "Квиллмарка", "ar": "كويلمارك", "es": "Quillmark"}


def test_every_listing_shows_its_edition_only(client, stories):
    for code in ("en", "ru", "ar", "es"):
        for path in LISTINGS:
            response = client.get(prefixed(code, path))
            assert response.status_code == 200, (code, path)
            assert shown(response.content.decode()) == TITLES[code], (code, path)
        # Search: the results are the edition's (the page's newsfeed box is too).
        response = client.get(prefixed(code, "/search/"), {"q": SEARCHES[code]})
        found = {story.title for story in response.context["results"]}
        assert found == {t for t in TITLES[code] if SEARCHES[code] in t}, code
        assert shown(response.content.decode()) <= TITLES[code]


def test_the_newsfeed_box_and_the_next_story_stay_in_the_edition(client, stories):
    html = client.get(stories["ru_only"].url).content.decode()
    # The box beside the story (every ru story), the next story (the older ru one).
    assert shown(html) == TITLES["ru"]
    english = client.get(stories["en_only"].url).content.decode()
    assert shown(english) == TITLES["en"]


def test_topics_and_authors_per_edition(client, newsroom, stories):
    from broadsheet.news.selectors import tags_popular

    # A topic only another edition's stories carry is a 404 in this one.
    stories["en_only"].tags.add("cranes")
    stories["en_only"].save()
    assert client.get("/topics/cranes/").status_code == 200
    assert client.get("/ru/topics/cranes/").status_code == 404
    assert client.get("/ru/feeds/topics/cranes.xml").status_code == 404
    # The topics and authors indexes are the edition's.
    ru = newsroom["ru"].locale.pk
    assert "cranes" not in {t.slug for t in tags_popular(locale_id=ru)}
    assert "Amara Okafor" in client.get("/ru/authors/").content.decode()
    # An edition where the author has no public story hides the author.
    zero = newsroom["es"]
    zero.stories[0].delete()
    assert client.get("/es/authors/amara-okafor/").status_code == 404
    assert "Amara Okafor" not in client.get("/es/authors/").content.decode()


FEEDS = ("/feeds/latest", "/feeds/world", "/feeds/topics/harbour", "/feeds/authors/amara-okafor")


def test_feeds_per_edition(client, stories):
    for code, path, fmt in (
        (code, path, fmt)
        for code in ("en", "ru", "ar")
        for path in FEEDS
        for fmt in ("xml", "atom")
    ):
        response = client.get(prefixed(code, f"{path}.{fmt}"))
        assert response.status_code == 200, path
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (path, feed.bozo_exception)
        assert feed.feed.language == code
        assert {entry.title for entry in feed.entries} == TITLES[code], path
        for entry in feed.entries:
            assert entry.link.startswith(SITE + prefixed(code, "/")), entry.link
        assert feed.feed.link.startswith(SITE + prefixed(code, "/"))

    for code in ("en", "ru", "ar"):
        document = json.loads(client.get(prefixed(code, "/feeds/latest.json")).content)
        assert document["language"] == code
        assert {item["title"] for item in document["items"]} == TITLES[code]
        assert all(item["url"].startswith(SITE + prefixed(code, "/")) for item in document["items"])


def sitemap_entries(client, path: str) -> dict[str, dict[str, str]]:
    """loc → {hreflang: href} of one sitemap file."""
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    found = {}
    for url in root.findall("sm:url", NS):
        loc = url.find("sm:loc", NS).text
        found[loc] = {
            link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)
        }
    return found


def edition_entries(client, language: str) -> dict[str, dict[str, str]]:
    found = {}
    for path in sitemap_files(client, language):
        found.update(sitemap_entries(client, path))
    return found


def test_sitemaps_per_edition(client, stories):
    """The index, robots.txt, each edition's page sitemap with reciprocal
    hreflang alternates, and each edition's Google News sitemap."""
    month = stories["source"].published_at.astimezone(UTC).strftime("%Y-%m")
    assert set(sitemap_files(client)) == {
        "/sitemap-pages.xml",
        "/sitemap-pages-ru.xml",
        "/sitemap-pages-es.xml",
        "/sitemap-pages-ar.xml",
        f"/sitemap-stories-{month}.xml",
        f"/sitemap-stories-ru-{month}.xml",
        f"/sitemap-stories-es-{month}.xml",
        f"/sitemap-stories-ar-{month}.xml",
    }
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots
    for code in ("ru", "es", "ar"):
        assert f"Sitemap: {SITE}/{code}/sitemap-news.xml" in robots
    assert f"Sitemap: {SITE}/sitemap-news.xml" in robots

    english = edition_entries(client, "en")
    russian = edition_entries(client, "ru")
    assert all(loc.startswith(f"{SITE}/ru/") for loc in russian)
    assert not any(loc.startswith(f"{SITE}/ru/") for loc in english)
    source = SITE + stories["source"].url
    copy = SITE + stories["ru_copy"].url
    assert copy.startswith(f"{SITE}/ru/")
    assert english[source] == {"en": source, "ru": copy, "x-default": source}
    assert russian[copy] == english[source]
    # A story written for one edition names no alternate.
    assert english[SITE + stories["en_only"].url] == {}
    # Every alternate of every edition is reciprocal.
    every = {}
    for path in sitemap_files(client):
        every.update(sitemap_entries(client, path))
    for loc, alternates in every.items():
        for lang, href in alternates.items():
            assert every[href] == alternates, (loc, lang)

    for code in ("en", "ru", "ar", "es"):
        root = ET.fromstring(client.get(prefixed(code, "/sitemap-news.xml")).content)
        languages = {node.text for node in root.iter(f"{{{NS['news']}}}language")}
        titles = {node.text for node in root.iter(f"{{{NS['news']}}}title")}
        assert languages == {code}
        assert titles == TITLES[code]
