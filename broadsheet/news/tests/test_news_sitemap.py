"""The Google News sitemap: the last two days' stories, in Google's format,
linked from robots.txt."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def _entries(client):
    response = client.get(reverse("sitemap-news"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own response, not untrusted input)
    return {
        url.findtext("s:loc", namespaces=NS): url.find("news:news", NS)
        for url in root.findall("s:url", NS)
    }


def test_lists_the_last_two_days_newest_first(client, world):
    now = timezone.now()
    fresh = ArticlePageFactory(parent=world, title="Fresh", published_at=now - timedelta(hours=1))
    day_old = ArticlePageFactory(
        parent=world, title="Day old", published_at=now - timedelta(days=1)
    )
    ArticlePageFactory(parent=world, title="Stale", published_at=now - timedelta(days=3))
    entries = _entries(client)
    assert list(entries) == [
        f"{settings.SITE_URL}{fresh.url}",
        f"{settings.SITE_URL}{day_old.url}",
    ]
    news = entries[f"{settings.SITE_URL}{fresh.url}"]
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Broadsheet"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Fresh"
    assert news.findtext("news:publication_date", namespaces=NS) == fresh.published_at.isoformat()


def test_headlines_are_escaped_into_valid_xml(client, world):
    ArticlePageFactory(parent=world, title='Q&A: "<b>tariffs</b>" & you')
    [news] = _entries(client).values()
    assert news.findtext("news:title", namespaces=NS) == 'Q&A: "<b>tariffs</b>" & you'


def test_robots_txt_names_both_sitemaps(client, home):
    body = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body
    assert f"Sitemap: {settings.SITE_URL}/sitemap-news.xml" in body


def test_a_cdn_may_keep_it_briefly(client, home):
    response = client.get(reverse("sitemap-news"))
    assert "s-maxage=120" in response["Cache-Control"] and "public" in response["Cache-Control"]
