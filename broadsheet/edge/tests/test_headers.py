"""Every anonymous answer that is the same for everyone is cacheable, names
what it shows, and validates; every per-reader answer is private."""

import re
from datetime import UTC, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty
from wagtail.models import Locale

from broadsheet.accounts.factories import UserFactory
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world, author, topics):
    return ArticlePageFactory(
        parent=world, authors=[author], tag_names=["Climate"], lead_photo=PhotoFactory()
    )


def keys_of(response) -> set[str]:
    return set(response["xkey"].split())


def directives(response) -> dict[str, str]:
    parts = [p.strip() for p in response["Cache-Control"].split(",")]
    return dict((p.split("=", 1) + [""])[:2] for p in parts)


def assert_public(response, *, edge_seconds="86400"):
    cc = directives(response)
    assert "public" in cc, response["Cache-Control"]
    assert cc["max-age"] == "30"
    assert cc["s-maxage"] == edge_seconds
    assert cc["stale-while-revalidate"] == "30"
    assert cc["stale-if-error"] == "86400"
    assert re.fullmatch(r'"[0-9a-f]{24,32}"', response["ETag"]), response["ETag"]
    assert response["Last-Modified"].endswith("GMT")
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    assert response["Surrogate-Key"] == response["xkey"]
    assert response["Cache-Tag"] == response["xkey"].replace(" ", ",")


def test_a_story_names_itself_its_bylines_topics_photo_and_edition(client, story, author):
    response = client.get(story.url)
    assert response.status_code == 200
    assert_public(response)
    tag = story.tagged_items.get().tag_id
    locale = story.locale_id
    assert {
        "site",
        f"e{locale}",
        f"p{story.pk}",
        f"p{author.pk}",
        f"tg{tag}",
        f"ph{story.lead_photo_id}",
        f"nf{locale}",
        f"cc{story.pk}",
    } <= keys_of(response)


@pytest.mark.parametrize(
    "where, key",
    [
        ("front", "lf{locale}"),
        ("section", "ls{section}"),
        ("author", "la{author}"),
        ("topic", "lt{tag}"),
        ("newsfeed", "ln{locale}"),
        ("newsfeed_older", "ln{locale}"),
        ("search", "ln{locale}"),
        ("feed", "ln{locale}"),
        ("section_feed", "ls{section}"),
        ("sitemap", "sm"),
        ("sitemap_index", "sm"),
        ("sitemap_month", "sm{locale}m{month}"),
        ("news_sitemap", "sm{locale}"),
        ("bank", "lb"),
        ("photo", "ph{photo}"),
        ("robots", "site"),
    ],
)
def test_every_public_page_type_is_cacheable_and_names_its_listing(
    client, story, author, topics, where, key
):
    from datetime import timedelta

    ArticlePageFactory(
        parent=story.get_parent(), published_at=story.published_at - timedelta(hours=1)
    )
    tag = story.tagged_items.get().tag
    urls = {
        "front": "/",
        "section": story.get_parent().url,
        "author": author.url,
        "topic": f"{topics.url}{tag.slug}/",
        "newsfeed": reverse("newsfeed"),
        "newsfeed_older": reverse("newsfeed") + "?before=" + _cursor_of(story),
        "search": reverse("search") + "?q=harbour",
        "feed": reverse("rss_latest"),
        "section_feed": reverse("feed_section", kwargs={"fmt": "xml", "slug": "world"}),
        "sitemap": "/sitemap-pages.xml",
        "sitemap_index": "/sitemap.xml",
        "sitemap_month": f"/sitemap-stories-{story.published_at.astimezone(UTC):%Y-%m}.xml",
        "news_sitemap": "/sitemap-news.xml",
        "bank": reverse("mediabank:photo_list"),
        "photo": reverse("mediabank:photo_detail", args=[story.lead_photo_id]),
        "robots": "/robots.txt",
    }
    response = client.get(urls[where])
    assert response.status_code == 200, (where, response.status_code)
    names = {
        "locale": story.locale_id,
        "section": story.section_id,
        "author": author.pk,
        "tag": tag.pk,
        "photo": story.lead_photo_id,
        "month": f"{story.published_at.astimezone(UTC):%Y%m}",
    }
    assert key.format(**names) in keys_of(response), (where, response["xkey"])
    assert "public" in response["Cache-Control"], where
    assert not response.cookies, where


def _cursor_of(story) -> str:
    from broadsheet.news.cursors import Cursor

    return Cursor.for_story(story).encode()


def test_each_edition_names_its_own_edition_key(client, edition_tree):
    russian = Locale.objects.get(language_code="ru")
    response = client.get("/ru/")
    assert response.status_code == 200
    assert f"e{russian.pk}" in keys_of(response)
    assert f"lf{russian.pk}" in keys_of(response)
    story = edition_tree.story["ru"]
    assert f"p{story.pk}" in keys_of(client.get(story.url))


def test_a_missing_page_is_kept_only_briefly(client, home):
    response = client.get("/no-such-story/")
    assert response.status_code == 404
    assert directives(response)["s-maxage"] == "60"


def test_a_signed_in_reader_gets_private_answers_without_keys(client, story):
    client.force_login(UserFactory())
    for url in (story.url, "/", reverse("newsfeed")):
        response = client.get(url)
        assert response.status_code == 200
        cc = directives(response)
        assert "private" in cc and "no-store" in cc, (url, response["Cache-Control"])
        assert "public" not in cc and "s-maxage" not in cc
        assert "xkey" not in response and "Cache-Tag" not in response


def test_staff_get_wagtails_userbar_and_anonymous_readers_never_load_a_session(client, story):
    """The userbar is asked for only with a session cookie (core/templatetags/
    userbar.py): an anonymous answer never looked at a user."""
    response = client.get(story.url)
    assert b"wagtail-userbar" not in response.content
    assert response.wsgi_request.user._wrapped is empty
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert b"<wagtail-userbar" in client.get(story.url).content
    client.force_login(UserFactory())
    assert b"wagtail-userbar" not in client.get(story.url).content


def test_account_pages_and_writes_are_private(client, home):
    assert "no-store" in client.get(reverse("account_login"))["Cache-Control"]
    assert "no-store" in client.get("/ru/accounts/login/")["Cache-Control"]
    response = client.post(reverse("search"), {"q": "x"})
    assert "no-store" in response["Cache-Control"]


def test_conditional_requests_get_304(client, story):
    # The first render makes the lead photo's renditions: the page changes once.
    client.get(story.url)
    first = client.get(story.url)
    again = client.get(story.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    # Seconds later, still unchanged: the same Last-Modified, not the render time.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        since = client.get(story.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other = client.get(story.url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_an_embargoed_story_answers_404_naming_itself(client, world):
    from datetime import timedelta

    from django.utils import timezone

    story = ArticlePageFactory(parent=world, published_at=timezone.now() + timedelta(hours=2))
    response = client.get(story.url)
    assert response.status_code == 404
    # Named like any other "not found" (nothing reveals the story), and
    # purged with any publish in its edition, the embargo lift included.
    assert keys_of(response) == {"site", f"e{world.locale_id}", f"ln{world.locale_id}"}
    assert keys_of(client.get("/no-such-story/")) == keys_of(response)
    assert directives(response)["s-maxage"] == "60"
