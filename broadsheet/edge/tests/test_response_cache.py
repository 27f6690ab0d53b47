"""The embedded full-response cache: a repeated anonymous request is answered
without rendering, and never outlives the content version it was made at."""

import pytest

from broadsheet.accounts.factories import UserFactory
from broadsheet.edge.store import store_clear
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

HIT = "X-Broadsheet-Cache"


@pytest.fixture(autouse=True, params=["process", "shared"])
def response_cache(request, settings):
    settings.BROADSHEET_RESPONSE_CACHE = request.param
    store_clear()
    yield request.param
    store_clear()


@pytest.fixture
def story(world):
    return ArticlePageFactory(parent=world, title="Harbour reopens")


def warm(client, url):
    """The first render makes the lead photo's renditions, which moves the
    content version (pages now print them): the second answer is the one kept."""
    client.get(url)
    return client.get(url)


def test_a_repeated_request_is_served_from_the_cache_with_one_query(
    client, story, django_assert_num_queries
):
    first = warm(client, story.url)
    assert first.status_code == 200 and HIT not in first
    with django_assert_num_queries(1):  # the content version
        again = client.get(story.url)
    assert again[HIT] == "hit"
    assert again.content == first.content
    for header in ("ETag", "Last-Modified", "Cache-Control", "xkey", "Content-Type"):
        assert again[header] == first[header], header


def test_publishing_makes_every_older_answer_unreachable(client, story, world):
    warm(client, "/")
    assert client.get("/")[HIT] == "hit"
    fresh = ArticlePageFactory.build(
        title="Bridge closes after storm", live=False, lead_photo=PhotoFactory()
    )
    world.add_child(instance=fresh)
    fresh.save_revision().publish()
    front = client.get("/")
    assert HIT not in front
    assert b"Bridge closes after storm" in front.content


def test_a_conditional_request_on_a_hit_gets_304(client, story, django_assert_num_queries):
    etag = warm(client, story.url)["ETag"]
    with django_assert_num_queries(1):
        again = client.get(story.url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag


def test_signed_in_readers_and_htmx_requests_get_their_own_answers(client, story):
    warm(client, story.url)
    htmx = client.get(story.url, HTTP_HX_REQUEST="true")
    assert HIT not in htmx
    client.force_login(UserFactory())
    mine = client.get(story.url)
    assert HIT not in mine
    assert "private" in mine["Cache-Control"]


def test_answers_that_set_a_cookie_are_not_kept(client, home):
    from django.urls import reverse

    url = reverse("account_login")
    client.get(url)
    assert HIT not in client.get(url)


def test_a_new_comment_is_not_hidden_by_the_cache(client, story):
    from broadsheet.discussions.cache import discussions_changed

    warm(client, story.url)
    assert client.get(story.url)[HIT] == "hit"
    discussions_changed(page=story)
    assert HIT not in client.get(story.url)


def test_the_cache_is_off_when_asked(client, story, settings):
    settings.BROADSHEET_RESPONSE_CACHE = "off"
    warm(client, story.url)
    assert HIT not in client.get(story.url)
