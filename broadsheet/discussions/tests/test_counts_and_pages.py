"""Counts on the article and listings, query counts, cacheability and purges."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.discussions.models import CommentStatus
from broadsheet.discussions.selectors import (
    comment_counts,
    comments_by_author,
    comments_for_export,
)

pytestmark = pytest.mark.django_db


def test_counts_follow_posts_holds_removals_and_account_deletion(client, story, reader, other):
    client.force_login(reader)
    client.post(reverse("discussions:post", args=[story.pk]), {"body": "One"})
    assert comment_counts(page_ids=[story.pk]) == {story.pk: 1}
    CommentFactory(page=story, author=other, status=CommentStatus.HELD)
    reply = CommentFactory(page=story, author=other, parent=story.comments.first())
    assert comment_counts(page_ids=[story.pk]) == {story.pk: 1}, "memo: no bump yet"
    from broadsheet.discussions.cache import discussions_changed

    discussions_changed(page=story)
    assert comment_counts(page_ids=[story.pk]) == {story.pk: 2}
    client.post(reverse("discussions:delete", args=[reply.pk]))  # not the author: refused
    other_client = client.__class__()
    other_client.force_login(other)
    other_client.post(reverse("discussions:delete", args=[reply.pk]))
    assert comment_counts(page_ids=[story.pk]) == {story.pk: 1}
    reader.delete()
    assert comment_counts(page_ids=[story.pk]) == {story.pk: 1}


def test_article_shows_the_count_and_a_link_to_the_discussion(client, story, other):
    CommentFactory.create_batch(3, page=story, author=other)
    from broadsheet.discussions.cache import discussions_changed

    discussions_changed(page=story)
    response = client.get(story.url)
    html = response.content.decode()
    assert f'<a href="#discussion-{story.pk}">3 comments</a>' in html
    thread = reverse("discussions:thread", args=[story.pk])
    assert f'hx-get="{thread}" hx-trigger="revealed"' in html
    assert f'<a href="{thread}">Read the discussion (3 comments)</a>' in html
    assert "csrfmiddlewaretoken" not in html and not response.cookies


def test_article_html_is_the_same_for_readers_and_anonymous(client, story, reader):
    anonymous = client.get(story.url).content.decode()
    client.force_login(reader)
    signed_in = client.get(story.url).content.decode()
    marker = f'id="discussion-{story.pk}"'
    section = anonymous.split(marker, 1)[1].split("</section>", 1)[0]
    assert section == signed_in.split(marker, 1)[1].split("</section>", 1)[0]


def test_teasers_show_counts(client, story, world, other):
    CommentFactory.create_batch(12, page=story, author=other)
    from broadsheet.discussions.cache import discussions_changed

    discussions_changed(page=story)
    assert "12 comments" in client.get(world.url).content.decode()


def test_article_costs_no_extra_query_once_warm(client, story, other):
    CommentFactory.create_batch(5, page=story, author=other)
    client.get(story.url)
    with CaptureQueriesContext(connection) as warm:
        client.get(story.url)
    CommentFactory.create_batch(5, page=story, author=other)
    client.get(story.url)
    with CaptureQueriesContext(connection) as again:
        client.get(story.url)
    assert len(again.captured_queries) == len(warm.captured_queries)
    assert not any("discussions_comment" in q["sql"] for q in again.captured_queries)


def _thread_queries(client, story) -> int:
    url = reverse("discussions:thread", args=[story.pk])
    # Twice: the first request creates the site identity row, whose save
    # moves the content version and so empties the memo once.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _comments(story, n, users):
    tops = CommentFactory.create_batch(n, page=story, author=users[0])
    for top in tops[:5]:
        CommentFactory.create_batch(3, page=story, author=users[1], parent=top)


@pytest.mark.parametrize("signed_in", [False, True])
def test_thread_queries_do_not_grow_with_comments(client, story, reader, other, signed_in):
    if signed_in:
        client.force_login(reader)
    _comments(story, 10, [other, reader])
    small = _thread_queries(client, story)
    _comments(story, 290, [reader, other])
    assert _thread_queries(client, story) == small


def test_posting_purges_the_story_and_its_discussion(
    client, story, reader, purged, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("discussions:post", args=[story.pk]), {"body": "Purge me"})
    thread = reverse("discussions:thread", args=[story.pk])
    assert any(url.endswith(story.url) for url in purged)
    assert any(url.endswith(thread) for url in purged)


def test_held_comment_purges_nothing(
    client, story, reader, purged, django_capture_on_commit_callbacks
):
    story.discussion_mode = "premoderated"
    story.save()
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("discussions:post", args=[story.pk]), {"body": "Held"})
    assert purged == []


def test_export_and_profile_lists(story, reader):
    top = CommentFactory(page=story, author=reader, body="Mine")
    CommentFactory(page=story, author=reader, body="Held", status=CommentStatus.HELD, parent=top)
    rows = comments_for_export(user=reader)
    assert [r["body"] for r in rows] == ["Mine", "Held"]
    assert rows[1]["parent_id"] == top.pk and rows[0]["story_title"] == story.title
    assert set(rows[0]) == {
        "id",
        "story_title",
        "story_url",
        "body",
        "status",
        "created_at",
        "edited_at",
        "parent_id",
    }
    assert [c.body for c in comments_by_author(user=reader, limit=10)] == ["Mine"]
    assert comments_for_export(user=reader_verified(username="nobody")) == []


def _oob_title(html: str, story) -> str:
    """The out-of-band heading above the thread in an htmx answer, or ""."""
    import re

    match = re.search(
        rf'<h2 class="discussion__title" id="discussion-title-{story.pk}"[^>]*'
        r'hx-swap-oob="true">([^<]*)</h2>',
        html,
    )
    return match[1] if match else ""


def test_htmx_post_and_delete_answers_carry_the_new_count_heading(
    client, story, reader, other, no_rate_limits
):
    from .conftest import HX

    CommentFactory(page=story, author=other)
    client.force_login(reader)
    posted = client.post(reverse("discussions:post", args=[story.pk]), {"body": "First"}, **HX)
    assert _oob_title(posted.content.decode(), story) == "2 comments"

    top = story.comments.get(body="First")
    reply = client.post(
        reverse("discussions:post", args=[story.pk]), {"body": "Me too", "parent": top.pk}, **HX
    )
    assert _oob_title(reply.content.decode(), story) == "3 comments"

    # A reply leaves its comment at once; a top-level comment with replies
    # stays as "deleted": both answers carry the count.
    gone = client.post(
        reverse("discussions:delete", args=[story.comments.get(body="Me too").pk]), **HX
    )
    assert gone["HX-Reswap"] == "delete"
    assert _oob_title(gone.content.decode(), story) == "2 comments"
    CommentFactory(page=story, author=other, parent=top)
    from broadsheet.discussions.cache import discussions_changed

    discussions_changed(page=story)
    kept = client.post(reverse("discussions:delete", args=[top.pk]), **HX)
    assert "HX-Reswap" not in kept
    assert _oob_title(kept.content.decode(), story) == "2 comments"


def test_the_thread_heading_is_not_swapped_out_of_band_when_loaded(client, story):
    html = client.get(reverse("discussions:thread", args=[story.pk]), **{"HTTP_HX_REQUEST": "true"})
    assert f'id="discussion-title-{story.pk}"' in html.content.decode()
    assert "hx-swap-oob" not in html.content.decode().split("</h2>")[0]
