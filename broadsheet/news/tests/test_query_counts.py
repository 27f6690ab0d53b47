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


def _feed_urls() -> list[str]:
    from broadsheet.news.models import ArticlePageTag, AuthorPage

    world = SectionPage.objects.get(slug="world")
    tag = (
        ArticlePageTag.objects.filter(content_object__in=ArticlePage.objects.published())
        .order_by("tag__slug")
        .first()
        .tag
    )
    author = (
        AuthorPage.objects.live().filter(bylines__page__in=ArticlePage.objects.published()).first()
    )
    return [
        f"/feeds/{path}.{fmt}"
        for path in ("latest", world.slug, f"topics/{tag.slug}", f"authors/{author.slug}")
        for fmt in ("xml", "atom", "json")
    ]


def _feed_queries(client, urls) -> dict[str, tuple[int, int]]:
    """Per feed: the queries with the memo empty (the first reader after a
    publish builds the entries) and warm (every reader after that)."""
    from broadsheet.core.cache import memo_clear

    counts = {}
    for url in urls:
        client.get(url)
        memo_clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200, url
        counts[url] = (len(cold.captured_queries), len(warm.captured_queries))
    return counts


def test_feed_queries_do_not_grow_with_the_archive(client):
    demo_build(articles=10, photos=3)
    urls = _feed_urls()
    small = _feed_queries(client, urls)
    archive_build(stories=990)
    assert ArticlePage.objects.count() >= 1000
    large = _feed_queries(client, urls)
    assert small == large
    # Warm, a feed is the request's content-version read and nothing else.
    assert {warm for _, warm in large.values()} == {1}
