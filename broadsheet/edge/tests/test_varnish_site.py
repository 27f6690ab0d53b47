"""The site behind a real Varnish (deploy/varnish/default.vcl): every kind of
change purges exactly the pages that show it, the moment it commits.

Each test warms pages through Varnish (a miss, then a hit), makes a change the
way the newsroom or the scheduler makes it, and asks again: the affected pages
are misses showing the change; an unrelated page is still a hit.
"""

import http.client
from datetime import UTC, timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone
from wagtail.models import Locale

from broadsheet.editions.tests.fixtures import translate
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.cursors import Cursor
from broadsheet.news.factories import ArticlePageFactory

pytestmark = [
    pytest.mark.varnish,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
    pytest.mark.xdist_group("varnish"),
]
TOKEN = "site-purge-token"


@pytest.fixture
def edge(varnish, live_server, settings):
    port = urlsplit(live_server.url).port
    edge = varnish(backend_port=port, purge_token=TOKEN)
    settings.BROADSHEET_EDGE_BACKEND = "varnish"
    settings.BROADSHEET_EDGE_URLS = [edge.url]
    settings.BROADSHEET_EDGE_PURGE_TOKEN = TOKEN
    settings.BROADSHEET_RESPONSE_CACHE = "off"
    return edge


def ask(edge, path) -> tuple[str, str]:
    connection = http.client.HTTPConnection(edge.host, edge.port, timeout=20)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode()
        return response.getheader("X-Cache"), body
    finally:
        connection.close()


def warm(edge, paths):
    for path in paths:
        ask(edge, path)
        state, _ = ask(edge, path)
        assert state == "HIT", path


def states(edge, paths) -> dict[str, str]:
    return {path: ask(edge, path)[0] for path in paths}


@pytest.fixture
def newsroom(edition_tree, author, topics):
    """Two English stories (one older, for a cursor page) and the ru edition."""
    world = edition_tree.world["en"]
    older = ArticlePageFactory(
        parent=world, published_at=timezone.now() - timedelta(hours=3), authors=[author]
    )
    story = ArticlePageFactory(parent=world, authors=[author], lead_photo=PhotoFactory())
    return {"tree": edition_tree, "world": world, "story": story, "older": older}


def month_of(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def test_publishing_a_story_purges_its_listings_feeds_and_sitemaps_only(edge, newsroom):
    world, older = newsroom["world"], newsroom["older"]
    unrelated_photo = PhotoFactory()
    ancient = ArticlePageFactory(parent=world, published_at=timezone.now() - timedelta(days=62))
    this_month = month_of(timezone.now())
    affected = [
        "/",
        world.url,
        "/newsfeed/",
        "/newsfeed/?before=" + Cursor.for_story(newsroom["story"]).encode(),
        "/feeds/latest.xml",
        "/feeds/world.atom",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        f"/sitemap-stories-{this_month}.xml",
    ]
    unrelated = [
        "/ru/",
        "/ru/newsfeed/",
        f"/mediabank/{unrelated_photo.pk}/",
        # An older month's stories, and the Russian edition's this month.
        f"/sitemap-stories-{month_of(ancient.published_at)}.xml",
        f"/sitemap-stories-ru-{this_month}.xml",
    ]
    warm(edge, affected + unrelated)

    fresh = ArticlePageFactory.build(
        title="Bridge closes after the storm", live=False, lead_photo=PhotoFactory()
    )
    world.add_child(instance=fresh)
    fresh.save_revision().publish()

    assert states(edge, unrelated) == dict.fromkeys(unrelated, "HIT")
    for path in affected:
        state, body = ask(edge, path)
        assert state == "MISS", path
        if "before=" not in path and path not in ("/sitemap.xml", "/sitemap-pages.xml"):
            assert "Bridge closes after the storm" in body or fresh.slug in body, path
    assert older.url in ask(edge, affected[3])[1]  # the cursor page still lists it


def test_translating_an_old_story_purges_its_month_s_sitemap_for_the_hreflang(edge, newsroom):
    world = newsroom["world"]
    old = ArticlePageFactory(
        parent=world, published_at=timezone.now() - timedelta(days=62), slug="dam-opens"
    )
    this_month = month_of(timezone.now())
    old_file = f"/sitemap-stories-{month_of(old.published_at)}.xml"
    affected = [old_file, f"/sitemap-stories-ru-{this_month}.xml", "/sitemap.xml"]
    unrelated = [f"/sitemap-stories-{this_month}.xml"]
    warm(edge, affected + unrelated)

    russian = Locale.objects.get(language_code="ru")
    copy = translate(old, russian, title="Плотина открыта", published_at=None)

    assert states(edge, affected) == dict.fromkeys(affected, "MISS")
    assert states(edge, unrelated) == dict.fromkeys(unrelated, "HIT")
    assert f'hreflang="ru" href="{settings.SITE_URL}{copy.url}"' in ask(edge, old_file)[1]


def test_a_russian_story_purges_the_russian_edition_not_the_english(edge, newsroom):
    tree = newsroom["tree"]
    paths = ["/", "/ru/", "/ru/newsfeed/", "/ru/feeds/latest.xml"]
    warm(edge, paths)
    fresh = ArticlePageFactory.build(
        title="Мост закрыт после шторма", live=False, lead_photo=PhotoFactory()
    )
    tree.world["ru"].add_child(instance=fresh)
    fresh.save_revision().publish()
    assert states(edge, paths) == {
        "/": "HIT",
        "/ru/": "MISS",
        "/ru/newsfeed/": "MISS",
        "/ru/feeds/latest.xml": "MISS",
    }
    assert "Мост закрыт после шторма" in ask(edge, "/ru/")[1]


def test_editing_a_photo_credit_purges_the_pages_printing_it(edge, newsroom):
    story, older = newsroom["story"], newsroom["older"]
    paths = [story.url, f"/mediabank/{story.lead_photo_id}/", older.url]
    warm(edge, paths)
    photo = story.lead_photo
    photo.photographer = "Nadia Newname"
    photo.save()
    got = states(edge, paths)
    assert got[story.url] == "MISS" and got[paths[1]] == "MISS"
    assert got[older.url] == "HIT"
    assert "Nadia Newname" in ask(edge, story.url)[1]


def test_an_embargo_lift_from_the_scheduler_shows_the_story(edge, newsroom, time_machine):
    from broadsheet.news.live_events import stories_announce_run

    world = newsroom["world"]
    soon = timezone.now() + timedelta(minutes=10)
    embargoed = ArticlePageFactory(parent=world, title="Treaty signed at dawn", published_at=soon)
    paths = ["/", world.url, embargoed.url]
    warm(edge, paths)
    assert "Treaty signed at dawn" not in ask(edge, "/")[1]
    time_machine.move_to(soon + timedelta(seconds=1), tick=True)
    assert embargoed in stories_announce_run()
    assert "Treaty signed at dawn" in ask(edge, "/")[1]
    state, body = ask(edge, embargoed.url)
    assert state == "MISS" and "Treaty signed at dawn" in body
