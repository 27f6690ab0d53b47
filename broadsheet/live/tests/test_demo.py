import pytest

from broadsheet.live.demo import LIVE_SLUG, POSTS, UPCOMING_SLUG, live_demo_build
from broadsheet.live.models import CoverageStatus, LivePost, LiveStoryPage
from broadsheet.news.demo import demo_build

pytestmark = pytest.mark.django_db


def test_demo_has_a_live_and_an_upcoming_story(client):
    demo_build(articles=6, photos=3)
    assert live_demo_build() == {"live story": 2, "live post": POSTS}
    live = LiveStoryPage.objects.get(slug=LIVE_SLUG)
    assert live.coverage_status == CoverageStatus.LIVE and live.is_public
    posts = LivePost.objects.filter(story=live)
    assert posts.count() == POSTS
    assert posts.filter(pinned=True).count() == 1
    assert posts.exclude(updated_at=None).count() == 1
    assert posts.exclude(photo=None).exists() and posts.exclude(quote="").exists()
    assert len({p.authors.get().pk for p in posts}) > 3
    upcoming = LiveStoryPage.objects.get(slug=UPCOMING_SLUG)
    assert upcoming.coverage_status == CoverageStatus.UPCOMING
    assert client.get(live.url).status_code == 200
    assert client.get(upcoming.url).status_code == 200
    # A second run adds nothing.
    assert live_demo_build() == {"live story": 0, "live post": 0}
