import json
import re
from datetime import UTC
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from broadsheet.mediabank.renditions import photo_renditions_generate
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.title, self.ld = {}, {}, "", []
        self._in_title = self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link" and attrs.get("rel"):
            self.links[attrs["rel"]] = attrs.get("href")
        elif tag == "title":
            self._in_title = True
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"
        self._in_ld = self._in_ld and tag != "script"

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_ld:
            self.ld.append(json.loads(data))


def head(response) -> HeadParser:
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def story(world, author):
    story = ArticlePageFactory(
        parent=world,
        title="Ports reopen after storm",
        authors=[author],
        tag_names=["Climate"],
        search_description="",
    )
    photo_renditions_generate(photo=story.lead_photo)
    return story


def test_article_has_social_tags_and_canonical(client, story):
    parsed = head(client.get(story.url))
    assert parsed.title.startswith("Ports reopen after storm")
    assert parsed.links["canonical"] == f"{settings.SITE_URL}{story.url}"
    assert parsed.meta["description"] == story.standfirst
    assert parsed.meta["og:type"] == "article"
    assert parsed.meta["og:title"] == "Ports reopen after storm"
    assert parsed.meta["og:url"] == parsed.links["canonical"]
    assert parsed.meta["og:image"].startswith(f"{settings.SITE_URL}/media/images/")
    assert parsed.meta["twitter:card"] == "summary_large_image"
    assert parsed.meta["article:published_time"]


def test_article_json_ld_is_a_complete_news_article(client, story, author):
    (data,) = [d for d in head(client.get(story.url)).ld if d["@type"] == "NewsArticle"]
    assert data["headline"] == "Ports reopen after storm"
    assert data["image"][0].startswith(f"{settings.SITE_URL}/media/images/")
    assert data["datePublished"].startswith(story.published_at.date().isoformat())
    assert data["dateModified"]
    assert data["author"] == [
        {"@type": "Person", "name": author.title, "url": f"{settings.SITE_URL}{author.url}"}
    ]
    assert data["publisher"]["name"]


def test_json_ld_cannot_be_broken_out_of(client, world):
    story = ArticlePageFactory(parent=world, title="</script><script>alert(1)</script>")
    html = client.get(story.url).content.decode()
    assert "<script>alert(1)" not in html
    assert json.loads(re.search(r'ld\+json">(.*?)</script>', html).group(1))["headline"].startswith(
        "</script>"
    )


def test_every_page_has_a_unique_title_and_description(client, home, world, sport, topics, story):
    urls = [
        "/",
        world.url,
        sport.url,
        story.url,
        reverse("newsfeed"),
        topics.url,
        f"{topics.url}climate/",
        story.get_parent().url,
    ]
    titles = {}
    for url in set(urls):
        parsed = head(client.get(url))
        assert parsed.meta.get("description"), url
        assert parsed.links.get("canonical"), url
        titles.setdefault(parsed.title, []).append(url)
    assert all(len(urls) == 1 for urls in titles.values()), titles


def test_sitemap_index_leads_to_pages_and_the_story_s_month_with_lastmod(client, story):
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    month = story.published_at.astimezone(UTC).strftime("%Y-%m")
    assert f"{settings.SITE_URL}/sitemap-pages.xml" in index
    assert f"{settings.SITE_URL}/sitemap-stories-{month}.xml" in index
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert f"{settings.SITE_URL}{story.get_parent().url}" in pages
    assert story.url not in pages
    xml = client.get(f"/sitemap-stories-{month}.xml").content.decode()
    assert f"{settings.SITE_URL}{story.url}" in xml
    assert f"<lastmod>{story.published_at.astimezone(UTC):%Y-%m-%d}</lastmod>" in xml


def test_robots_txt_points_to_sitemap(client, home):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode()


def test_rss_feed_lists_stories(client, story):
    response = client.get(reverse("rss_latest"))
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Ports reopen after storm" in response.content.decode()
    assert client.get(reverse("rss_section", args=["world"])).status_code == 200
    assert client.get(reverse("rss_section", args=["nowhere"])).status_code == 404


def test_a_story_s_canonical_address_drops_any_query(client, story):
    canonical = f'<link rel="canonical" href="{settings.SITE_URL}{story.url}">'
    for query in ("", "?before=1796689798025556.29", "?section=world&utm_source=x"):
        html = client.get(story.url + query).content.decode()
        assert canonical in html, query
        assert f'<meta property="og:url" content="{settings.SITE_URL}{story.url}">' in html
