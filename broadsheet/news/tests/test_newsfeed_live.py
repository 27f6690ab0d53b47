"""The live newsfeed: what open feeds are told (news/live_events.py), the
fragment they fetch (NewsfeedView ?newer_than=) and the markers on the page
that realtime.js and newsfeed_live.js find."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from broadsheet.core.cache import content_version
from broadsheet.core.services import scheduled_publishing_run
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.cursors import Cursor
from broadsheet.news.factories import ArticlePageFactory, SectionPageFactory, story_schedule
from broadsheet.news.live_events import stories_announce_run
from broadsheet.news.models import ArticlePage, NewsfeedAnnouncement
from broadsheet.realtime.models import Event

pytestmark = pytest.mark.django_db


def newsfeed_events() -> list[tuple[str, dict]]:
    return [
        (event.kind, event.data) for event in Event.objects.filter(stream="newsfeed").order_by("pk")
    ]


def draft(parent, **fields) -> ArticlePage:
    """A story saved but never published, as an editor leaves it."""
    story = ArticlePageFactory.build(
        live=False,
        published_at=fields.pop("published_at", None),
        first_published_at=None,
        last_published_at=None,
        lead_photo=fields.pop("lead_photo", None) or PhotoFactory(),
        **fields,
    )
    parent.add_child(instance=story)
    story.save_revision()
    return story


def published(parent, **fields) -> ArticlePage:
    story = draft(parent, **fields)
    story.save_revision().publish()
    story.refresh_from_db()
    return story


# -- events -------------------------------------------------------------------


def test_publishing_a_story_announces_it_once_with_public_data_only(world):
    story = draft(world, title="Harbour reopens")
    assert newsfeed_events() == []

    story.save_revision().publish()
    story.refresh_from_db()

    assert newsfeed_events() == [
        (
            "story.published",
            {
                "id": story.pk,
                "edition": "en",
                "section": "world",
                "published_at": story.published_at.isoformat(),
            },
        )
    ]


def test_republishing_an_edit_is_not_news(world):
    story = published(world)
    story.title = "Harbour reopens, with conditions"
    story.save_revision().publish()
    story.save_revision().publish()
    assert [kind for kind, _ in newsfeed_events()] == ["story.published"]


def test_scheduled_story_is_announced_when_it_goes_live_not_before(world):
    go_live = timezone.now() + timedelta(hours=1)
    story = story_schedule(parent=world, go_live_at=go_live)
    assert newsfeed_events() == []
    scheduled_publishing_run()
    stories_announce_run()
    assert newsfeed_events() == []

    with time_machine.travel(go_live + timedelta(seconds=5)):
        run = scheduled_publishing_run()
        assert run.published == [story.title]
        assert stories_announce_run() == []

    story.refresh_from_db()
    assert story.published_at >= go_live - timedelta(seconds=1)
    assert newsfeed_events() == [
        (
            "story.published",
            {
                "id": story.pk,
                "edition": "en",
                "section": "world",
                "published_at": story.published_at.isoformat(),
            },
        )
    ]


def test_embargo_time_passing_is_announced_by_the_scheduler_pass_once(world):
    lifts = timezone.now() + timedelta(hours=2)
    story = published(world, published_at=lifts)
    assert story.live and not story.is_public
    assert newsfeed_events() == []
    assert stories_announce_run() == []
    assert newsfeed_events() == []

    with time_machine.travel(lifts + timedelta(seconds=30)):
        version = content_version()
        assert stories_announce_run() == [story]
        assert content_version() == version + 1, "memoised listings must show it now"
        assert stories_announce_run() == []
        assert content_version() == version + 1

    assert newsfeed_events() == [
        (
            "story.published",
            {
                "id": story.pk,
                "edition": "en",
                "section": "world",
                "published_at": lifts.isoformat(),
            },
        )
    ]


def test_scheduler_pass_announces_nothing_already_announced_or_long_public(world):
    published(world)
    ArticlePageFactory(parent=world, published_at=timezone.now() - timedelta(days=3))
    version = content_version()
    assert stories_announce_run() == []
    assert content_version() == version
    assert len(newsfeed_events()) == 1


@pytest.mark.parametrize("how", ["unpublish", "delete", "embargo moved forward", "made private"])
def test_a_story_leaving_the_public_is_withdrawn_from_open_feeds(world, how):
    story = published(world)
    if how == "unpublish":
        story.unpublish()
    elif how == "delete":
        ArticlePage.objects.get(pk=story.pk).delete()
    elif how == "embargo moved forward":
        story.published_at = timezone.now() + timedelta(hours=1)
        story.save()
        story.save_revision().publish()
    else:
        PageViewRestriction.objects.create(page=world, restriction_type=PageViewRestriction.LOGIN)
    assert newsfeed_events()[1:] == [("story.unpublished", {"id": story.pk})]
    assert not NewsfeedAnnouncement.objects.filter(page_id=story.pk).exists()


def test_withdrawn_then_republished_story_is_announced_again(world):
    story = published(world)
    story.unpublish()
    story.save_revision().publish()
    assert [kind for kind, _ in newsfeed_events()] == [
        "story.published",
        "story.unpublished",
        "story.published",
    ]


def test_stories_never_public_are_never_named(home, world):
    members = SectionPageFactory(parent=home, title="Members", slug="members")
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    private = published(members)
    never = draft(world)
    embargoed = published(world, published_at=timezone.now() + timedelta(days=1))
    scheduled = story_schedule(parent=world, go_live_at=timezone.now() + timedelta(days=1))
    stories_announce_run()
    # Withdrawing them names nothing either: readers never saw them.
    for story in (private, embargoed, scheduled):
        ArticlePage.objects.get(pk=story.pk).unpublish()
    ArticlePage.objects.get(pk=never.pk).delete()
    assert newsfeed_events() == []


def test_rolled_back_publish_announces_nothing(world):
    story = draft(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        story.save_revision().publish()
        assert len(newsfeed_events()) == 1
        raise RuntimeError("the publish fails after the event was written")
    assert newsfeed_events() == []
    assert not NewsfeedAnnouncement.objects.exists()
    story = ArticlePage.objects.get(pk=story.pk)
    story.save_revision().publish()
    assert [kind for kind, _ in newsfeed_events()] == ["story.published"]


def test_rolled_back_withdrawal_keeps_the_story_announced(world):
    story = published(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        story.unpublish()
        raise RuntimeError("rolled back")
    assert [kind for kind, _ in newsfeed_events()] == ["story.published"]
    assert NewsfeedAnnouncement.objects.filter(page_id=story.pk).exists()


# -- the fragment open feeds fetch ---------------------------------------------


@pytest.fixture
def timeline(world, sport):
    # Midday, so the hour of stories below never spans midnight (a run just after
    # 00:00 once printed two day headings where one was right).
    now = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(now, tick=True):
        yield _timeline(world, sport, now)


def _timeline(world, sport, now):
    stories = {
        name: ArticlePageFactory(
            parent=section, title=name, published_at=now - timedelta(minutes=minutes)
        )
        for name, section, minutes in [
            ("Old world", world, 60),
            ("Top world", world, 30),
            ("New sport", sport, 20),
            ("New world", world, 10),
        ]
    }
    stories["Embargoed world"] = ArticlePageFactory(
        parent=world, title="Embargoed world", published_at=now + timedelta(minutes=30)
    )
    return stories


def _ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-story-id="(\d+)"', html)]


def test_fragment_has_only_the_public_stories_newer_than_the_cursor(client, timeline):
    cursor = Cursor.for_story(timeline["Top world"]).encode()
    response = client.get(f"/newsfeed/?newer_than={cursor}")
    assert response.status_code == 200
    html = response.content.decode()
    assert _ids(html) == [timeline["New world"].pk, timeline["New sport"].pk]
    assert "Embargoed world" not in html
    assert "<html" not in html and "feed-more" not in html
    assert html.count('class="feed-day"') == 1, "one heading for the day, merged by the script"
    cache = response["Cache-Control"]
    assert "public" in cache and "s-maxage=10" in cache and "max-age=0" in cache


def test_fragment_respects_the_section_and_the_box_style(client, timeline):
    cursor = Cursor.for_story(timeline["Old world"]).encode()
    html = client.get(f"/newsfeed/?section=world&newer_than={cursor}&compact=1").content.decode()
    assert _ids(html) == [timeline["New world"].pk, timeline["Top world"].pk]
    assert "feed-day" not in html and "feed-item__kind" not in html


def test_fragment_says_when_the_list_is_too_far_behind(client, timeline):
    html = client.get("/newsfeed/?newer_than=0.0&limit=2").content.decode()
    assert _ids(html) == [timeline["New world"].pk, timeline["New sport"].pk]
    assert "data-feed-gap" in html
    html = client.get("/newsfeed/?newer_than=0.0&limit=4").content.decode()
    assert len(_ids(html)) == 4 and "data-feed-gap" not in html


def test_fragment_of_a_story_published_in_the_same_microsecond_as_the_cursor(client, world):
    when = timezone.now() - timedelta(minutes=1)
    first = ArticlePageFactory(parent=world, published_at=when)
    second = ArticlePageFactory(parent=world, published_at=when)
    html = client.get(f"/newsfeed/?newer_than={Cursor.for_story(first).encode()}").content.decode()
    assert _ids(html) == [second.pk]
    html = client.get(f"/newsfeed/?newer_than={Cursor.for_story(second).encode()}").content
    assert _ids(html.decode()) == []


@pytest.mark.parametrize(
    "query",
    [
        "newer_than=",
        "newer_than=yesterday",
        "newer_than=1.2.3",
        "newer_than=-1.2",
        "newer_than=0.0&limit=0",
        "newer_than=0.0&limit=21",
        "newer_than=0.0&limit=ten",
        "newer_than=0.0&limit=%C2%B2",
    ],
)
def test_fragment_refuses_bad_cursors_and_limits(client, world, query):
    assert client.get(f"/newsfeed/?{query}").status_code == 400


def test_fragment_of_an_unknown_section_is_404(client, world):
    assert client.get("/newsfeed/?section=nowhere&newer_than=0.0").status_code == 404


# -- markers on the pages -------------------------------------------------------


def _live_attributes(html: str) -> list[dict]:
    found = []
    for tag in re.findall(r"<[a-z]+ [^>]*data-live-stream=[^>]*>", html):
        attributes = dict(re.findall(r'(data-live-[a-z-]+)="([^"]*)"', tag))
        # Every page's breaking-news banner (alerts) follows its own stream.
        if attributes["data-live-stream"] != "breaking":
            found.append(attributes)
    return found


def test_every_newsfeed_is_marked_for_the_realtime_client(client, world):
    story = ArticlePageFactory(parent=world)
    for url in ("/", story.url, "/newsfeed/"):
        html = client.get(url).content.decode()
        marked = _live_attributes(html)
        assert [m["data-live-stream"] for m in marked] == ["newsfeed"], url
        assert marked[0]["data-live-since"].isdigit()
        assert "data-live-section" not in marked[0]
        assert f'data-story-id="{story.pk}"' in html
        assert f'data-cursor="{Cursor.for_story(story).encode()}"' in html
        assert "js/newsfeed_live.js" in html
        assert "<script>" not in html, "no inline script: the CSP allows none"


def test_section_newsfeed_is_marked_with_its_section_and_deeper_pages_not_at_all(client, world):
    for _ in range(3):
        ArticlePageFactory(parent=world)
    marked = _live_attributes(client.get("/newsfeed/?section=world").content.decode())
    assert marked[0]["data-live-section"] == "world"
    cursor = Cursor.for_story(ArticlePage.objects.order_by("-published_at").first()).encode()
    assert _live_attributes(client.get(f"/newsfeed/?before={cursor}").content.decode()) == []


def test_the_bar_words_come_from_the_catalogue_in_each_plural_form(client, world):
    ArticlePageFactory(parent=world)
    html = client.get("/newsfeed/").content.decode()
    raw = re.search(r'<script id="bs-i18n" type="application/json">(.*?)</script>', html)[1]
    strings = json.loads(raw)
    assert strings["plurals"]["feed.new"]["one"] == "{count} new story"
    assert strings["plurals"]["feed.new"]["other"] == "{count} new stories"
    assert strings["messages"]["feed.refresh"] == "New stories — refresh"
    # The bar starts hidden: without JavaScript there is none.
    assert re.search(r"<button [^>]*data-live-button hidden", html)
