"""The embargo: until its time, no public surface reveals a scheduled story.

Each surface a reader, crawler or aggregator can reach is probed for the
story's headline and slug, both for Wagtail's scheduled publishing (the page
is not live yet) and for the defensive second lock (a live row whose public
time is still in the future).
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from broadsheet.core.services import scheduled_publishing_run
from broadsheet.news.factories import ArticlePageFactory, story_body, story_schedule
from broadsheet.news.testing import sitemaps_text

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Zyxwv treaty signed in secret"
SECRET_SLUG = "zyxwv-treaty"


class _Body:
    def __init__(self, text: str):
        self.content = text.encode()


def _public_surfaces(client, *, story_url, world, author, topics, neighbour):
    """(name, response) for every public place a story could show up."""
    yield "story URL", client.get(story_url)
    yield "front page", client.get("/")
    yield "section", client.get(world.url)
    yield "newsfeed", client.get(reverse("newsfeed"))
    yield "newsfeed (htmx)", client.get(reverse("newsfeed"), headers={"HX-Request": "true"})
    yield "newsfeed for section", client.get(reverse("newsfeed") + "?section=world")
    yield "tag page", client.get(f"{topics.url}secret-talks/")
    yield "tag index", client.get(topics.url)
    yield "author page", client.get(author.url)
    yield "sitemap", _Body(sitemaps_text(client))
    yield "news sitemap", client.get(reverse("sitemap-news"))
    yield "search", client.get(reverse("search"), {"q": "Zyxwv treaty"})
    yield "rss", client.get(reverse("rss_latest"))
    yield "rss for section", client.get(reverse("rss_section", args=["world"]))
    yield "neighbour story (related card, next story, JSON-LD)", client.get(neighbour.url)


def _leaks(client, **kwargs):
    leaks = []
    for name, response in _public_surfaces(client, **kwargs):
        body = response.content.decode()
        if SECRET_TITLE in body or SECRET_SLUG in body:
            leaks.append(name)
    return leaks


@pytest.fixture
def newsroom(world, author, topics):
    # The neighbour is older, so the embargoed story would be "next" from a newer one;
    # it also links the embargoed story in a related-story card.
    newer = ArticlePageFactory(parent=world, published_at=timezone.now() - timedelta(minutes=1))
    return {"world": world, "author": author, "topics": topics, "neighbour": newer}


def _schedule(world, author, go_live_at):
    story = story_schedule(
        parent=world, go_live_at=go_live_at, title=SECRET_TITLE, slug=SECRET_SLUG
    )
    story.bylines.create(author=author)
    story.tags.add("Secret talks")
    story.save_revision().publish()
    story.refresh_from_db()
    return story


def test_scheduled_story_leaks_nowhere_until_its_time(client, newsroom):
    world, author = newsroom["world"], newsroom["author"]
    go_live = timezone.now() + timedelta(hours=2)
    story = _schedule(world, author, go_live)
    neighbour = newsroom["neighbour"]
    neighbour.body = story_body(seed=1, related=story)
    neighbour.save_revision().publish()
    assert not story.live, "Wagtail keeps a scheduled page unpublished"
    story_url = f"{world.url}{SECRET_SLUG}/"
    probe = {
        "story_url": story_url,
        "world": world,
        "author": author,
        "topics": newsroom["topics"],
        "neighbour": neighbour,
    }

    assert _leaks(client, **probe) == []
    assert client.get(story_url).status_code == 404

    with time_machine.travel(go_live + timedelta(seconds=5)):
        run = scheduled_publishing_run()
        assert run.published == [SECRET_TITLE]
        assert client.get(story_url).status_code == 200
        leaks = set(_leaks(client, **probe))
    # Once public it is everywhere it belongs.
    assert {
        "story URL",
        "front page",
        "section",
        "newsfeed",
        "sitemap",
        "rss",
        "tag page",
        "author page",
        "search",
    } <= leaks


def test_live_row_with_future_time_is_still_hidden(client, newsroom):
    """Second lock: even a row marked live stays hidden until its public time."""
    world, author = newsroom["world"], newsroom["author"]
    story = ArticlePageFactory(
        parent=world,
        title=SECRET_TITLE,
        slug=SECRET_SLUG,
        published_at=timezone.now() + timedelta(days=1),
        authors=[author],
        tag_names=["Secret talks"],
    )
    neighbour = newsroom["neighbour"]
    neighbour.body = story_body(seed=2, related=story)
    neighbour.save()
    probe = {
        "story_url": story.url,
        "world": world,
        "author": author,
        "topics": newsroom["topics"],
        "neighbour": neighbour,
    }
    assert _leaks(client, **probe) == []
