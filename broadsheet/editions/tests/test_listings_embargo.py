"""The embargo of a translated story holds on every surface of its edition,
while its English source stays visible on every surface of its own; and
every page costs the same queries in every edition."""

from datetime import UTC, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.alerts.models import PushAlert
from broadsheet.core.cache import content_version_bump, memo_clear
from broadsheet.editions.tests.fixtures_listings import *  # noqa: F403
from broadsheet.news.cursors import Cursor
from broadsheet.news.factories import story_body
from broadsheet.news.models import ArticlePage
from broadsheet.news.testing import sitemaps_text

SOURCE = "Treaty signed in Quillmark"
SECRET = "Договор подписан в Квиллмарке"
VISIBLE = "Переговоры продолжаются"


def _month(story) -> str:
    return story.published_at.astimezone(UTC).strftime("%Y-%m")


def _ru_surfaces(newsroom, secret, visible) -> list[str]:
    return [
        "/ru/",
        "/ru/world/",
        "/ru/newsfeed/",
        "/ru/newsfeed/?section=world",
        "/ru/newsfeed/?newer_than=0.0",
        "/ru/newsfeed/?newer_than=0.0&compact=1",
        "/ru/topics/",
        "/ru/authors/",
        "/ru/authors/amara-okafor/",
        *(
            f"/ru/feeds/{name}.{fmt}"
            for name in ("latest", "world")
            for fmt in ("xml", "atom", "json")
        ),
        *(f"/ru/feeds/authors/amara-okafor.{fmt}" for fmt in ("xml", "atom", "json")),
        "/sitemap.xml",
        "/sitemap-pages-ru.xml",
        f"/sitemap-stories-ru-{_month(visible)}.xml",
        "/ru/sitemap-news.xml",
        "/ru/search/?q=Квиллмарке",
        "/ru/search/?q=Договор",
        # The visible story: its next story, its related story block, the
        # newsfeed box, the banner.
        visible.url,
    ]


def test_an_embargoed_translation_is_on_no_surface_of_its_edition(client, newsroom_ru):
    newsroom = newsroom_ru
    source = newsroom.story("en", SOURCE, minutes_ago=30, breaking=True)
    source.tags.add("treaty")
    source.save()
    secret = newsroom.translate(source, "ru", SECRET)
    visible = newsroom.story("ru", VISIBLE, minutes_ago=1, body=story_body(seed=1, related=secret))
    # The Russian desk holds its version for three hours.
    ArticlePage.objects.filter(pk=secret.pk).update(
        published_at=timezone.now() + timedelta(hours=3)
    )
    # Both were alerted when published (the translation before its embargo moved).
    PushAlert.objects.get_or_create(story_id=secret.pk)
    PushAlert.objects.get_or_create(story_id=source.pk)
    content_version_bump()
    secret_path = secret.url

    for url in _ru_surfaces(newsroom, secret, visible):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SECRET not in body, url
        assert secret_path not in body, url
    assert client.get(secret_path).status_code == 404
    # Its topic exists in ru only through it: the ordinary 404.
    assert client.get("/ru/topics/treaty/").status_code == 404
    assert client.get("/ru/feeds/topics/treaty.xml").status_code == 404

    # The English source stays everywhere in its edition, linking no
    # embargoed translation (hreflang, the language switch, sitemap).
    for url in (
        "/",
        "/world/",
        "/newsfeed/",
        "/topics/treaty/",
        "/authors/amara-okafor/",
        "/feeds/latest.xml",
        "/feeds/latest.atom",
        "/feeds/latest.json",
        "/sitemap-news.xml",
        "/search/?q=Quillmark",
        source.url,
    ):
        body = client.get(url).content.decode()
        assert SOURCE in body, url
        assert secret_path not in body, url
    english_sitemap = sitemaps_text(client, "en")
    assert source.url in english_sitemap
    assert secret_path not in english_sitemap
    # The banner: the English edition's breaking story; nothing in ru.
    assert f'data-breaking-id="{source.pk}"' in client.get("/").content.decode()
    assert "data-breaking-id" not in client.get("/ru/").content.decode()

    # Three hours on, it is everywhere in ru (and linked from the source).
    ArticlePage.objects.filter(pk=secret.pk).update(published_at=timezone.now())
    content_version_bump()
    for url in ("/ru/", "/ru/newsfeed/", "/ru/feeds/latest.xml", "/ru/sitemap-news.xml"):
        assert SECRET in client.get(url).content.decode(), url
    assert secret_path in sitemaps_text(client, "en")


def _symmetric(newsroom) -> dict:
    """The same stories in every edition: three each, tagged and bylined."""
    made = {}
    for code in newsroom.trees:
        made[code] = [
            newsroom.story(code, f"{code} story {n}", minutes_ago=10 * (n + 1)) for n in range(3)
        ]
    return made


def _page_urls(code: str, stories) -> list[str]:
    prefix = "" if code == "en" else f"/{code}"
    cursor = Cursor.for_story(stories[0]).encode()
    return [
        f"{prefix}/",
        f"{prefix}/world/",
        stories[1].url,
        f"{prefix}/newsfeed/",
        f"{prefix}/newsfeed/?before={cursor}",
        f"{prefix}/topics/harbour/",
        f"{prefix}/authors/amara-okafor/",
        f"{prefix}/feeds/latest.xml",
        f"{prefix}/feeds/topics/harbour.atom",
        f"{prefix}/sitemap-news.xml",
        "/sitemap-pages.xml" if code == "en" else f"/sitemap-pages-{code}.xml",
        f"/sitemap-stories{'' if code == 'en' else '-' + code}-{_month(stories[1])}.xml",
        f"{prefix}/search/?q=story",
    ]


def test_every_page_costs_the_same_queries_in_every_edition(client, newsroom):
    made = _symmetric(newsroom)
    # Once round every page first: what a process does once whatever the
    # edition (Django's and Wagtail's own caches) is not an edition's cost.
    for code in ("en", "ru", "ar", "es"):
        for url in _page_urls(code, made[code]):
            client.get(url)
    counts: dict[str, list[tuple]] = {}
    for code in ("en", "ru", "ar", "es"):
        counts[code] = []
        for url in _page_urls(code, made[code]):
            memo_clear()
            with CaptureQueriesContext(connection) as cold:
                assert client.get(url).status_code == 200, url
            with CaptureQueriesContext(connection) as warm:
                client.get(url)
            # A sitemap file is not under its edition's prefix: cold, the
            # request looks up the default edition's front page for routing
            # and then the file's own (memoised: 0 warm). Compared warm.
            cold_count = (
                None if url.startswith(("/sitemap-pages", "/sitemap-stories")) else len(cold)
            )
            counts[code].append((url.removeprefix(f"/{code}"), cold_count, len(warm)))
    for code in ("ru", "ar", "es"):
        assert [c[1:] for c in counts[code]] == [c[1:] for c in counts["en"]], counts
