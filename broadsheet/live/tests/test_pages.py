"""The reader page: without JavaScript, paged by keyset, permalinks, JSON-LD,
and the live story in every listing with its badge."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.live.factories import LivePostFactory, LiveStoryPageFactory
from broadsheet.live.models import CoverageStatus, PostStatus
from broadsheet.live.selectors import POSTS_PAGE_SIZE
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def _posts(story, count, start=None):
    start = start or timezone.now() - timedelta(hours=3)
    return [
        LivePostFactory(story=story, title=f"Update {n}", published_at=start + timedelta(minutes=n))
        for n in range(count)
    ]


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article class="live-post[^"]*" id="post-(\d+)"', html)]


def _jsonld(html: str, kind: str) -> dict:
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


def test_page_without_javascript_pages_by_keyset(client, story):
    posts = _posts(story, POSTS_PAGE_SIZE + 5)
    LivePostFactory(story=story, status=PostStatus.DRAFT, published_at=None, title="Draft")
    LivePostFactory(story=story, deleted=True, title="Gone")
    response = client.get(story.url)
    assert response.status_code == 200
    html = response.content.decode()
    newest_first = [p.pk for p in reversed(posts)]
    assert _ids(html) == newest_first[:POSTS_PAGE_SIZE]
    assert "Draft" not in html and "Gone" not in html
    assert f'data-live-stream="live-{story.pk}"' in html
    assert 'data-live-first="1"' in html
    older = re.search(r'href="([^"]*\?before=[0-9.]+)" rel="next"', html).group(1)
    second = client.get(older).content.decode()
    assert _ids(second) == newest_first[POSTS_PAGE_SIZE:]
    assert 'rel="next"' not in second and "data-live-first" not in second
    # A cursor that makes no sense is a 400, one past the end a 404.
    assert client.get(f"{story.url}?before=nonsense").status_code == 400
    assert client.get(f"{story.url}?before=1.1").status_code == 404


def test_pinned_posts_come_first_and_only_once(client, story):
    posts = _posts(story, POSTS_PAGE_SIZE + 5)
    oldest = posts[0]
    oldest.pinned = True
    oldest.save()
    html = client.get(story.url).content.decode()
    newest_first = [p.pk for p in reversed(posts[1:])]
    assert _ids(html) == [oldest.pk, *newest_first[:POSTS_PAGE_SIZE]]
    assert "live-post--pinned" in html
    older = re.search(r'href="([^"]*\?before=[0-9.]+)" rel="next"', html).group(1)
    assert _ids(client.get(older).content.decode()) == newest_first[POSTS_PAGE_SIZE:]
    data = _jsonld(html, "LiveBlogPosting")
    assert data["liveBlogUpdate"][0]["url"].endswith(f"/posts/{posts[-1].pk}/")
    assert len(data["liveBlogUpdate"]) == 20


def test_permalink_starts_at_the_post_and_is_crawlable(client, story):
    posts = _posts(story, 6)
    target = posts[2]
    url = f"{story.url}posts/{target.pk}/"
    html = client.get(story.url).content.decode()
    assert f'href="{url}"' in html
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert _ids(page) == [posts[2].pk, posts[1].pk, posts[0].pk]
    # Canonical: the story itself (see models.LiveStoryPage.route).
    assert re.search(r'<link rel="canonical" href="[^"]*/the-summit-live/">', page)
    assert client.get(f"{story.url}posts/999999/").status_code == 404
    assert client.get(f"{story.url}posts/{target.pk}/extra/").status_code == 404
    draft = LivePostFactory(story=story, status=PostStatus.DRAFT, published_at=None)
    assert client.get(f"{story.url}posts/{draft.pk}/").status_code == 404


def test_embargoed_story_and_its_posts_are_404(client, world):
    story = LiveStoryPageFactory(parent=world, published_at=timezone.now() + timedelta(hours=1))
    post = LivePostFactory(story=story)
    assert client.get(story.url).status_code == 404
    assert client.get(f"{story.url}posts/{post.pk}/").status_code == 404
    assert story.title not in client.get("/").content.decode()


def test_json_ld_is_a_live_blog_posting(client, story):
    story.coverage_start = timezone.now() - timedelta(hours=4)
    story.coverage_end = timezone.now() + timedelta(hours=4)
    story.save()
    posts = _posts(story, 25)
    data = _jsonld(client.get(story.url).content.decode(), "LiveBlogPosting")
    assert data["coverageStartTime"] == story.coverage_start.isoformat()
    assert data["coverageEndTime"] == story.coverage_end.isoformat()
    updates = data["liveBlogUpdate"]
    assert len(updates) == 20
    assert updates[0]["@type"] == "BlogPosting"
    assert updates[0]["headline"] == posts[-1].title
    assert updates[0]["url"].endswith(f"{story.url}posts/{posts[-1].pk}/")
    assert updates[0]["datePublished"] == posts[-1].published_at.isoformat()
    assert data["headline"] == story.title


def test_hostile_text_is_escaped(client, story):
    LivePostFactory(
        story=story,
        title='<script>alert("t")</script>',
        quote='<img src=x onerror="alert(1)">',
        quote_attribution="<b>Bob</b>",
    )
    html = client.get(story.url).content.decode()
    assert '<script>alert("t")' not in html
    assert "<img src=x onerror" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Bob&lt;/b&gt;" in html


def test_live_story_is_in_listings_with_its_badge(client, story, world):
    ArticlePageFactory(parent=world, title="An ordinary story")
    front = client.get("/").content.decode()
    assert "live-now" in front and story.title in front
    assert front.count('class="live-badge"') >= 2  # the strip, and its teaser
    section = client.get(world.url).content.decode()
    assert story.title in section and 'class="live-badge"' in section
    feed = client.get("/newsfeed/").content.decode()
    assert story.title in feed and 'class="live-badge"' in feed
    # The badge belongs to the live story only.
    teasers = section.split('<article class="teaser')[1:]
    assert len(teasers) == 2
    for teaser in teasers:
        assert ("live-badge" in teaser) == (story.title in teaser)


def test_ended_coverage_leaves_the_strip_and_loses_the_badge(client, story, world):
    story.coverage_status = CoverageStatus.ENDED
    story.save_revision().publish()
    front = client.get("/").content.decode()
    assert "live-now" not in front
    assert story.title in front
    assert 'class="live-badge"' not in front
    assert "Live coverage of this story has ended." in client.get(story.url).content.decode()


def test_upcoming_story_page(client, world):
    story = LiveStoryPageFactory(parent=world, coverage_status=CoverageStatus.UPCOMING)
    html = client.get(story.url).content.decode()
    assert "Coverage has not started yet" in html
    assert "live-badge--upcoming" in html
