"""No page's cost grows with the archive: the same SQL with 10 and 1,000 stories."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.news.demo import demo_build
from broadsheet.news.demo_archive import archive_build
from broadsheet.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm caches that are filled once (site root paths, renditions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _urls():
    newest = ArticlePage.objects.published().newest_first().first()
    world = SectionPage.objects.get(slug="world")
    # Deep in the archive, but with older stories left, so it too has a next story.
    deep = ArticlePage.objects.published().order_by("published_at", "pk")[3]
    return {
        "front page": "/",
        "article (newest)": newest.url,
        "article (deep in the archive)": deep.url,
        "section": world.url,
        "newsfeed": reverse("newsfeed"),
    }


def test_queries_do_not_grow_with_the_archive(client):
    demo_build(articles=10, photos=3)
    urls = _urls()
    small = {name: _queries(client, url) for name, url in urls.items()}
    archive_build(stories=990)
    assert ArticlePage.objects.count() >= 1000
    large = {name: _queries(client, url) for name, url in urls.items()}
    assert small == large


def test_deep_newsfeed_page_costs_the_same_as_the_first(client):
    demo_build(articles=10, photos=3)
    archive_build(stories=400)
    from broadsheet.news.cursors import Cursor

    deep = ArticlePage.objects.published().order_by("published_at", "pk")[30]
    cursor = Cursor.for_story(deep).encode()
    first = _queries(client, reverse("newsfeed"))
    assert _queries(client, f"{reverse('newsfeed')}?before={cursor}") == first
