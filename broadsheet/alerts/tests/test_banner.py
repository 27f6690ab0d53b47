"""The site-wide breaking banner: server-rendered on every public page for
ALERTS_BANNER_MINUTES after a breaking story is published, the realtime event
open pages get, and what never shows (embargoed, withdrawn, error pages)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from broadsheet.alerts.selectors import breaking_banner
from broadsheet.news.models import ArticlePage
from broadsheet.realtime.models import Event

from .test_sending import draft

pytestmark = pytest.mark.django_db


def banner_of(html: str) -> str:
    match = re.search(r"<aside class=\"breaking\".*?</aside>", html, flags=re.S)
    assert match, "every public page has the banner element"
    return match.group(0)


def published(story):
    story.save_revision().publish()
    story.refresh_from_db()
    return story


def test_a_breaking_story_is_on_every_page_and_told_to_open_ones(client, world):
    story = published(draft(world, title="Quake hits <the> coast", breaking=True))

    assert [(e.kind, e.data) for e in Event.objects.filter(stream="breaking")] == [
        (
            "story.breaking",
            {"id": story.pk, "title": "Quake hits <the> coast", "url": story.url, "edition": "en"},
        )
    ]
    for url in ("/", story.url, "/newsfeed/", "/search/?q=quake"):
        banner = banner_of(client.get(url).content.decode())
        assert " hidden" not in banner.split(">", 1)[0], url
        assert 'data-live-stream="breaking"' in banner
        assert f'data-breaking-id="{story.pk}"' in banner
        assert "Quake hits &lt;the&gt; coast" in banner, "escaped, never markup"
        assert f'href="{story.url}"' in banner

    # Russian has no edition of its own here: /ru/ reads the default
    # edition, banner included (editions/tests: an edition's own banner).
    russian = banner_of(client.get("/ru/").content.decode())
    assert f'href="{story.url}"' in russian


def test_an_ordinary_story_makes_no_banner(client, world):
    published(draft(world, breaking=False))
    banner = banner_of(client.get("/").content.decode())
    assert " hidden" in banner.split(">", 1)[0], "present for live events, but hidden"
    assert 'data-live-stream="breaking"' in banner
    assert not Event.objects.filter(stream="breaking").exists()


def test_the_banner_expires_at_render_time_even_while_the_memo_holds(client, world, settings):
    settings.ALERTS_BANNER_MINUTES = 30
    story = published(draft(world, breaking=True))
    now = timezone.now()
    held = breaking_banner(now=now)
    assert held is not None and held.id == story.pk
    assert breaking_banner(now=now + timedelta(minutes=29)) is held, "the same memoised entry"
    assert breaking_banner(now=now + timedelta(minutes=31)) is None

    with time_machine.travel(now + timedelta(minutes=31)):
        assert f'data-breaking-id="{story.pk}"' not in client.get("/").content.decode()


def test_the_latest_breaking_story_wins_and_a_withdrawn_one_goes(client, world):
    older = published(draft(world, title="First alarm", breaking=True))
    newer = published(draft(world, title="Second alarm", breaking=True))
    assert f'data-breaking-id="{newer.pk}"' in banner_of(client.get("/").content.decode())

    ArticlePage.objects.get(pk=newer.pk).unpublish()
    assert f'data-breaking-id="{older.pk}"' in banner_of(client.get("/").content.decode())


def test_an_embargoed_breaking_story_shows_nowhere_until_public(client, world):
    lifts = timezone.now() + timedelta(hours=1)
    story = published(draft(world, title="Embargoed alarm", breaking=True, published_at=lifts))
    assert not story.is_public
    assert "Embargoed alarm" not in client.get("/").content.decode()
    assert not Event.objects.filter(stream="breaking").exists()


def test_error_pages_and_the_admin_have_no_banner(client, world, admin_client):
    published(draft(world, breaking=True))
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert 'class="breaking"' not in missing.content.decode()
    assert 'class="breaking"' not in admin_client.get("/admin/").content.decode()


def test_pages_stay_the_same_for_every_reader(client, world, django_user_model):
    story = published(draft(world, breaking=True))
    anonymous = banner_of(client.get(story.url).content.decode())
    reader = django_user_model.objects.create_user(
        username="r", email="r@example.com", password="x"
    )
    client.force_login(reader)
    signed_in = banner_of(client.get(story.url).content.decode())
    strip = re.compile(r'data-live-since="\d+"')
    assert strip.sub("", anonymous) == strip.sub("", signed_in)
    assert "csrfmiddlewaretoken" not in anonymous
