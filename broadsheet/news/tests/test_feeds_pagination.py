from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.news.cursors import Cursor
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.selectors import feed_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(world):
    return ArticlePageFactory(
        parent=world, published_at=timezone.now() - timedelta(days=900)
    ).lead_photo


def _stories(section, photo, count, *, start=None, step=timedelta(minutes=10)):
    start = start or timezone.now() - timedelta(minutes=1)
    return [
        ArticlePageFactory(parent=section, lead_photo=photo, published_at=start - step * n)
        for n in range(count)
    ]


def _walk(**filters):
    seen, cursor, pages = [], None, 0
    while True:
        page = feed_page(before=cursor, limit=5, **filters)
        seen.extend(page.items)
        pages += 1
        if page.next_cursor is None:
            return seen, pages
        cursor = Cursor.decode(page.next_cursor)


def test_walk_visits_every_story_once_newest_first(world, photo):
    stories = _stories(world, photo, 12)
    seen, pages = _walk(section=world)
    assert [s.pk for s in seen] == [s.pk for s in stories] + [seen[-1].pk]
    assert pages == 3


def test_exact_multiple_of_page_size_has_no_empty_last_page(world, photo):
    photo_story = ArticlePageFactory._meta.model.objects.get(lead_photo=photo)
    photo_story.delete()
    _stories(world, photo, 10)
    seen, pages = _walk()
    assert len(seen) == 10
    assert pages == 2


def test_ties_on_the_same_second_are_neither_lost_nor_repeated(world, photo):
    same = timezone.now() - timedelta(hours=1)
    tied = [ArticlePageFactory(parent=world, lead_photo=photo, published_at=same) for _ in range(7)]
    seen, _ = _walk(section=world)
    ids = [s.pk for s in seen]
    assert len(ids) == len(set(ids))
    assert {s.pk for s in tied} <= set(ids)
    assert ids[:7] == sorted((s.pk for s in tied), reverse=True)


def test_cursor_round_trips_to_the_microsecond():
    when = timezone.now().replace(microsecond=123457)
    assert Cursor.decode(Cursor(when, 42).encode()) == Cursor(when, 42)


@pytest.mark.parametrize("raw", ["garbage", "1.2.3", "-5.1", "", "9" * 40 + ".1", "1e5.3", "12.x"])
def test_malformed_cursor_is_a_400_not_a_500(client, world, raw):
    for url in (reverse("newsfeed"), world.url):
        response = client.get(url, {"before": raw})
        assert response.status_code == 400, (url, raw)


def test_unknown_section_filter_is_404(client, world):
    assert client.get(reverse("newsfeed"), {"section": "atlantis"}).status_code == 404


def test_cursor_past_the_end_is_404(client, world, photo):
    for url in (reverse("newsfeed"), world.url):
        assert client.get(url, {"before": "1000000.1"}).status_code == 404


def test_newsfeed_filter_by_section(client, world, sport, photo):
    in_sport = ArticlePageFactory(parent=sport, lead_photo=photo)
    in_world = ArticlePageFactory(parent=world, lead_photo=photo)
    html = client.get(reverse("newsfeed"), {"section": "sport"}).content.decode()
    assert in_sport.url in html
    assert in_world.url not in html


def test_htmx_request_gets_only_the_items_and_next_link(client, world, photo):
    _stories(world, photo, 25)
    full = client.get(reverse("newsfeed"))
    assert b"<html" in full.content
    assert "HX-Request" in full["Vary"]
    cursor = full.context["feed"].next_cursor
    partial = client.get(reverse("newsfeed"), {"before": cursor}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert b'class="feed-item' in partial.content


def test_more_link_without_javascript_reaches_older_items(client, world, photo):
    stories = _stories(world, photo, 25)
    first = client.get(reverse("newsfeed"))
    cursor = first.context["feed"].next_cursor
    assert f"before={cursor}" in first.content.decode()
    second = client.get(reverse("newsfeed"), {"before": cursor}).content.decode()
    assert stories[-1].url in second
    assert stories[0].url not in second


def test_section_page_paginates_with_older_stories_link(client, world, photo):
    stories = _stories(world, photo, 25)
    first = client.get(world.url)
    cursor = first.context["feed"].next_cursor
    assert f"?before={cursor}" in first.content.decode()
    second = client.get(world.url, {"before": cursor}).context["feed"].items
    assert stories[-1] in second and stories[0] not in second


def test_tag_page_lists_tagged_stories(client, world, topics, photo):
    tagged = ArticlePageFactory(parent=world, lead_photo=photo, tag_names=["Climate"])
    other = ArticlePageFactory(parent=world, lead_photo=photo, tag_names=["Trade"])
    html = client.get(f"{topics.url}climate/").content.decode()
    assert tagged.url in html and other.url not in html
    assert client.get(f"{topics.url}no-such-topic/").status_code == 404


def test_author_page_lists_their_stories(client, world, author, photo):
    theirs = ArticlePageFactory(parent=world, lead_photo=photo, authors=[author])
    other = ArticlePageFactory(parent=world, lead_photo=photo)
    html = client.get(author.url).content.decode()
    assert theirs.url in html and other.url not in html


def test_continuation_page_does_not_repeat_the_day_heading(client, world, photo):
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    _stories(world, photo, 30, start=noon, step=timedelta(minutes=1))
    first = client.get(reverse("newsfeed"))
    cursor = first.context["feed"].next_cursor
    partial = client.get(reverse("newsfeed"), {"before": cursor}, headers={"HX-Request": "true"})
    # Same day as the last item above: the page goes on without a new heading.
    assert partial.content.lstrip().startswith(b'<li class="feed-item"')
    assert first.content.count(b'class="feed-day"') == 1
