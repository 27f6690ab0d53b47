"""A live story costs listings nothing: the badge and the "Live now" strip
read the article rows listings load anyway."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.core.cache import content_version_bump
from broadsheet.live.factories import LivePostFactory, LiveStoryPageFactory
from broadsheet.news.demo import demo_build
from broadsheet.news.demo_archive import archive_build
from broadsheet.news.models import SectionPage

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm what is filled once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _listings(client) -> dict[str, int]:
    world = SectionPage.objects.get(slug="world")
    urls = {"front page": "/", "section": world.url, "newsfeed": reverse("newsfeed")}
    return {name: _queries(client, url) for name, url in urls.items()}


def test_listings_cost_the_same_with_live_stories_and_a_large_archive(client):
    demo_build(articles=10, photos=3)
    before = _listings(client)
    world = SectionPage.objects.get(slug="world")
    story = LiveStoryPageFactory(parent=world)
    story.save_revision().publish()
    html = client.get("/").content.decode()
    assert "live-now" in html and 'class="live-badge"' in html
    with_live = _listings(client)
    archive_build(stories=300)
    assert _listings(client) == with_live == before


def _cold_queries(client, url) -> int:
    """The page's cost right after a post is published (its memo renewed)."""
    content_version_bump()
    client.get(url)  # once-per-process work (rendition checks, site paths)
    content_version_bump()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def test_live_page_cost_does_not_grow_with_posts(client, story, author):
    LivePostFactory(story=story, authors=[author])
    few = _cold_queries(client, story.url)
    for _ in range(15):
        LivePostFactory(story=story, authors=[author], quote="Words", quote_attribution="Someone")
    assert _cold_queries(client, story.url) == few
