"""Sitemap files are built from plain rows (news/sitemaps.py), not pages:
the same addresses, dates and rules as the pages' own get_sitemap_urls."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Page

from broadsheet.core.origin import page_full_url
from broadsheet.core.page_urls import url_path_address
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.sitemap_rows import ROW_FIELDS, sitemap_rows, urlset_xml

pytestmark = pytest.mark.django_db


def test_an_address_from_the_path_is_the_page_s_own(world):
    stories = [
        ArticlePageFactory(parent=world, title="Harbour", slug="harbour"),
        ArticlePageFactory(parent=world, title="Мир", slug="мир-и-порт"),
    ]
    request = RequestFactory().get("/")
    for page in [world, *stories]:
        assert url_path_address(page.url_path, request) == page_full_url(page, request)
    assert url_path_address("/no-such-root/page/") is None


def test_rows_follow_each_page_type_s_sitemap_rules(world):
    now = timezone.now()
    shown = ArticlePageFactory(parent=world, published_at=now - timedelta(hours=1))
    shown.updated_at = now - timedelta(minutes=5)
    shown.save()
    embargoed = ArticlePageFactory(parent=world, published_at=now + timedelta(hours=1))
    rows = list(Page.objects.filter(pk__in=[shown.pk, embargoed.pk, world.pk]).values(*ROW_FIELDS))
    found = {row["id"]: lastmod for row, lastmod in sitemap_rows(rows=rows)}
    assert embargoed.pk not in found
    assert found[shown.pk] == shown.updated_at
    for page in (shown, world):
        expected = page.specific.get_sitemap_urls()[0]["lastmod"]
        assert found[page.pk] == expected


def test_the_urlset_is_escaped_and_dated_in_the_site_s_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    late = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
    xml = urlset_xml(
        [
            {
                "location": "https://example.org/a?b=1&c=<2>",
                "lastmod": late,
                "alternates": [{"lang_code": "ru", "location": "https://example.org/ru/a"}],
            },
            {"location": "https://example.org/b", "lastmod": None},
        ]
    )
    assert "<loc>https://example.org/a?b=1&amp;c=&lt;2&gt;</loc>" in xml
    assert "<lastmod>2026-12-08</lastmod>" in xml, "20:00 UTC is the next day in Tokyo"
    assert '<xhtml:link rel="alternate" hreflang="ru" href="https://example.org/ru/a"/>' in xml
    assert "<url><loc>https://example.org/b</loc></url>" in xml
