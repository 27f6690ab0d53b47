"""Pages advertise their feeds (`<link rel="alternate">`, the page's own
first), and the feed list readers choose from works wherever it is included."""

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

ALTERNATE = re.compile(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">')
TYPES = ["application/rss+xml", "application/atom+xml", "application/feed+json"]


@pytest.fixture
def story(world, author, topics):
    return ArticlePageFactory(parent=world, authors=[author], tag_names=["Climate"])


def _alternates(client, url) -> list[tuple[str, str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return ALTERNATE.findall(response.content.decode())


def _site(prefix=""):
    return [
        (TYPES[0], "Broadsheet (RSS)", f"{prefix}/feeds/latest.xml"),
        (TYPES[1], "Broadsheet (Atom)", f"{prefix}/feeds/latest.atom"),
        (TYPES[2], "Broadsheet (JSON Feed)", f"{prefix}/feeds/latest.json"),
    ]


def _own(name, path):
    return [
        (TYPES[0], f"Broadsheet: {name} (RSS)", f"{path}.xml"),
        (TYPES[1], f"Broadsheet: {name} (Atom)", f"{path}.atom"),
        (TYPES[2], f"Broadsheet: {name} (JSON Feed)", f"{path}.json"),
    ]


def test_each_page_advertises_its_own_feed_then_the_sites(client, story, world, author, topics):
    expected = {
        "/": _site(),
        "/newsfeed/": _site(),
        "/newsfeed/?section=world": _own("World", "/feeds/world") + _site(),
        world.url: _own("World", "/feeds/world") + _site(),
        story.url: _own("World", "/feeds/world") + _site(),
        f"{topics.url}climate/": _own("Climate", "/feeds/topics/climate") + _site(),
        author.url: _own("Amara Okafor", "/feeds/authors/amara-okafor") + _site(),
    }
    for url, links in expected.items():
        assert _alternates(client, url) == links, url


def test_every_advertised_feed_answers_with_its_type(client, story, world, author, topics):
    seen = set()
    for url in ("/", world.url, story.url, f"{topics.url}climate/", author.url):
        for kind, _title, href in _alternates(client, url):
            if href in seen:
                continue
            seen.add(href)
            response = client.get(href)
            assert response.status_code == 200, href
            assert response["Content-Type"].split(";")[0] == kind, href
    assert len(seen) == 12


def test_russian_pages_advertise_russian_feeds(client, story, world):
    links = _alternates(client, f"/ru{world.url}")
    assert [href for _, _, href in links][:3] == [
        "/ru/feeds/world.xml",
        "/ru/feeds/world.atom",
        "/ru/feeds/world.json",
    ]
    assert [href for _, _, href in links][3:] == [href for _, _, href in _site("/ru")]


def test_feed_list_works_included_with_no_arguments(story, world, sport):
    html = render_to_string("news/includes/feed_list.html")
    hrefs = re.findall(r'class="feed-list__format" href="([^"]+)"', html)
    base = settings.SITE_URL
    assert hrefs == [
        f"{base}/feeds/latest.xml",
        f"{base}/feeds/latest.atom",
        f"{base}/feeds/latest.json",
        f"{base}/feeds/world.xml",
        f"{base}/feeds/world.atom",
        f"{base}/feeds/world.json",
        f"{base}/feeds/sport.xml",
        f"{base}/feeds/sport.atom",
        f"{base}/feeds/sport.json",
    ]
    assert "<h2" in html and "World" in html and "Sport" in html


def test_the_feeds_page_lists_them_and_stays_cacheable(client, story, world):
    response = client.get("/feeds/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="feed-list-title">' in html
    assert f'href="{settings.SITE_URL}/feeds/world.atom"' in html
    assert "csrfmiddlewaretoken" not in html and not response.cookies
    russian = client.get("/ru/feeds/").content.decode()
    assert f'href="{settings.SITE_URL}/ru/feeds/world.json"' in russian


def test_a_name_the_feed_urls_refuse_gets_no_links_rather_than_an_error():
    from broadsheet.news.templatetags.feed_tags import feed_links

    assert feed_links("topic", "тема") == []
    assert [link.url for link in feed_links("topic", "climate")][0] == "/feeds/topics/climate.xml"
