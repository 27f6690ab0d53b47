"""The discussion through its real URLs, with and without htmx."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.discussions.choices import DiscussionMode
from broadsheet.discussions.factories import CommentFactory
from broadsheet.discussions.models import Comment, CommentLike, CommentReport, CommentStatus

from .conftest import HX

pytestmark = pytest.mark.django_db


def thread_url(story):
    return reverse("discussions:thread", args=[story.pk])


def post_url(story):
    return reverse("discussions:post", args=[story.pk])


def action_url(action, comment):
    return reverse(f"discussions:{action}", args=[comment.pk])


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def _token(client, story):
    html = client.get(thread_url(story)).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


# ------------------------------------------------------------------ reading


def test_anonymous_thread_is_cacheable_and_invites_to_log_in(client, story):
    CommentFactory(page=story, body="First!")
    response = client.get(thread_url(story))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Discussion: Rains return to the valley" in html
    assert f'href="{story.url}"' in html
    assert "First!" in html
    assert "csrfmiddlewaretoken" not in html and not response.cookies
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=10")
    assert "HX-Request" in response["Vary"]
    next_ = f"{story.url}#discussion-{story.pk}".replace("#", "%23")
    assert f'href="/accounts/login/?next={next_}"' in html
    assert f'href="/accounts/signup/?next={next_}"' in html
    assert "To participate in the discussion" in html


def test_htmx_gets_the_fragment_only(client, story):
    response = client.get(thread_url(story), **HX)
    html = response.content.decode()
    assert "<html" not in html and f'id="discussion-title-{story.pk}"' in html


def test_signed_in_thread_is_private(client, story, reader):
    client.force_login(reader)
    response = client.get(thread_url(story))
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_thread_of_a_draft_or_missing_story_is_404(client, world):
    from broadsheet.news.factories import ArticlePageFactory

    draft = ArticlePageFactory(parent=world, live=False)
    assert client.get(thread_url(draft)).status_code == 404
    assert client.get(reverse("discussions:thread", args=[999999])).status_code == 404


def test_keyset_pages_cursor_errors(client, story):
    for n in range(25):
        CommentFactory(page=story, body=f"Comment number {n:02d}.")
    first = client.get(thread_url(story)).content.decode()
    assert "Comment number 24." in first and "Comment number 04." not in first
    cursor = re.search(r'after=([0-9.]+)"', first).group(1)
    second = client.get(f"{thread_url(story)}?after={cursor}", **HX).content.decode()
    assert "Comment number 04." in second and "Comment number 00." in second
    assert "Comment number 24." not in second
    oldest = client.get(f"{thread_url(story)}?sort=oldest").content.decode()
    assert "Comment number 00." in oldest and "Comment number 24." not in oldest
    assert client.get(f"{thread_url(story)}?after=nonsense").status_code == 400
    assert client.get(f"{thread_url(story)}?after=1.1").status_code == 404


def test_most_liked_sort(client, story):
    CommentFactory(page=story, body="Popular", like_count=9)
    CommentFactory(page=story, body="Ignored", like_count=0)
    html = client.get(f"{thread_url(story)}?sort=likes").content.decode()
    assert html.index("Popular") < html.index("Ignored")


def test_deleted_comment_with_replies_leaves_a_placeholder(client, story, reader, other):
    top = CommentFactory(page=story, author=reader, body="Original", status=CommentStatus.REMOVED)
    CommentFactory(page=story, author=other, parent=top, body="A reply")
    CommentFactory(page=story, author=reader, body="Gone alone", status=CommentStatus.REMOVED)
    html = client.get(thread_url(story)).content.decode()
    assert "This comment was deleted." in html and "A reply" in html
    assert "Original" not in html and "Gone alone" not in html


def test_deleted_account_shows_deleted_user(client, story, reader):
    CommentFactory(page=story, author=reader, body="Still here")
    reader.delete()
    html = client.get(thread_url(story)).content.decode()
    assert "Still here" in html and "deleted user" in html


# ------------------------------------------------------------------ writing


def test_post_without_js_redirects_to_the_comment(client, story, reader):
    client.force_login(reader)
    response = client.post(post_url(story), {"body": "Plain form"})
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{thread_url(story)}#comment-{comment.pk}"
    assert "Plain form" in client.get(response["Location"]).content.decode()


def test_post_with_htmx_returns_the_form_and_the_new_comment(client, story, reader):
    client.force_login(reader)
    response = client.post(post_url(story), {"body": "Swapped in"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-swap-oob="afterbegin:#comments-{story.pk}"' in html
    assert "Swapped in" in html and "Your comment is posted." in html


def test_refused_post_keeps_the_text_without_js(client, story, reader):
    story.discussion_mode = DiscussionMode.CLOSED
    story.save()
    client.force_login(reader)
    response = client.post(post_url(story), {"body": "My long considered text"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This discussion is closed." in html and "My long considered text" in html


def test_refused_post_keeps_the_text_with_htmx(client, story, reader):
    client.force_login(reader)
    client.post(post_url(story), {"body": "One"}, **HX)
    response = client.post(post_url(story), {"body": "Two, typed with care"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You can post again in" in html and "Two, typed with care" in html
    assert Comment.objects.count() == 1


def test_rate_limit_without_js_is_429(client, story, reader):
    client.force_login(reader)
    client.post(post_url(story), {"body": "One"})
    response = client.post(post_url(story), {"body": "Two"})
    assert response.status_code == 429
    assert "You can post again in 20 seconds." in response.content.decode()


def test_held_comment_is_shown_only_to_its_author(client, story, reader, other):
    story.discussion_mode = DiscussionMode.PREMODERATED
    story.save()
    client.force_login(reader)
    client.post(post_url(story), {"body": "Waiting for a moderator"})
    mine = client.get(thread_url(story)).content.decode()
    assert "Waiting for a moderator" in mine and "awaiting moderation" in mine
    client.force_login(other)
    assert "Waiting for a moderator" not in client.get(thread_url(story)).content.decode()
    client.logout()
    assert "Waiting for a moderator" not in client.get(thread_url(story)).content.decode()


def test_reply_with_htmx_goes_under_the_top_level(client, story, reader, other, no_rate_limits):
    top = CommentFactory(page=story, author=other)
    reply = CommentFactory(page=story, author=other, parent=top)
    client.force_login(reader)
    response = client.post(post_url(story), {"body": "@ you", "parent": reply.pk}, **HX)
    html = response.content.decode()
    assert f'hx-swap-oob="beforeend:#replies-{top.pk}"' in html
    new = Comment.objects.latest("pk")
    assert new.parent == top and new.reply_to == reply
    assert "@Otto Other" in client.get(thread_url(story)).content.decode()


def test_edit_and_delete_with_and_without_htmx(client, story, reader, other):
    mine = CommentFactory(page=story, author=reader, body="Typo")
    client.force_login(reader)
    response = client.post(action_url("edit", mine), {"body": "Fixed"})
    assert response.status_code == 303
    response = client.post(action_url("edit", mine), {"body": "Fixed again"}, **HX)
    assert response.status_code == 200 and "Fixed again" in response.content.decode()
    assert "(edited)" in response.content.decode()
    CommentFactory(page=story, author=other, parent=mine)
    response = client.post(action_url("delete", mine), **HX)
    assert "This comment was deleted." in response.content.decode()
    lonely = CommentFactory(page=story, author=reader)
    response = client.post(action_url("delete", lonely), **HX)
    assert response["HX-Reswap"] == "delete"
    assert response["HX-Retarget"] == f"#comment-{lonely.pk}"


def test_edit_refusal_keeps_text(client, story, reader):
    mine = CommentFactory(page=story, author=reader, body="Short")
    client.force_login(reader)
    response = client.post(action_url("edit", mine), {"body": "x" * 5001 + " mine"})
    assert response.status_code == 422
    assert "at most 5000 characters" in response.content.decode()
    assert "x" * 5001 + " mine" in response.content.decode()


def test_like_and_report_with_htmx(client, story, reader, other):
    theirs = CommentFactory(page=story, author=other)
    client.force_login(reader)
    response = client.post(action_url("like", theirs), **HX)
    assert 'aria-pressed="true"' in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.like_count == 1
    response = client.post(action_url("report", theirs), {"reason": "spam", "text": "ads"}, **HX)
    assert "A moderator will look" in response.content.decode()
    response = client.post(action_url("report", theirs), {"reason": "spam"}, **HX)
    assert "already reported" in response.content.decode()


def test_csrf_is_enforced(csrf_client, story, reader):
    csrf_client.force_login(reader)
    assert csrf_client.post(post_url(story), {"body": "No token"}).status_code == 403
    assert not Comment.objects.exists()
    token = _token(csrf_client, story)
    response = csrf_client.post(post_url(story), {"body": "Token", "csrfmiddlewaretoken": token})
    assert response.status_code == 303


def test_get_on_post_endpoints_is_405(client, story):
    assert client.get(post_url(story)).status_code == 405


# ------------------------------------------------------- permission matrix

ACTORS = ["anonymous", "unverified", "reader", "other", "staff", "suspended", "moderator", "editor"]


def _login(client, who, users):
    if who != "anonymous":
        client.force_login(users[who])


@pytest.fixture
def users(reader, other, unverified, staff):
    from datetime import timedelta

    from django.utils import timezone

    from broadsheet.discussions.factories import reader_verified
    from broadsheet.discussions.models import ReaderStanding

    suspended = reader_verified(username="suspended", display_name="Sam Suspended")
    ReaderStanding.objects.create(
        user=suspended, suspended_until=timezone.now() + timedelta(days=7)
    )
    moderator = reader_verified(username="mod", is_staff=True, groups=["Moderators"])
    # A newsroom editor (Wagtail's "Editors": pages, no comment moderation)
    # takes part like any reader and gets no extra power over others' comments.
    editor = reader_verified(username="editor", is_staff=True, groups=["Editors"])
    return {
        "editor": editor,
        "reader": reader,
        "other": other,
        "unverified": unverified,
        "staff": staff,
        "suspended": suspended,
        "moderator": moderator,
    }


@pytest.mark.parametrize("who", ACTORS)
def test_matrix_post_and_reply(client, story, users, who):
    top = CommentFactory(page=story, author=users["other"])
    _login(client, who, users)
    first = client.post(post_url(story), {"body": "Hello"})
    client.logout()
    from django.core.cache import cache

    cache.clear()
    _login(client, who, users)
    reply = client.post(post_url(story), {"body": "Reply", "parent": top.pk})
    allowed = who in ("reader", "other", "staff", "moderator", "editor")
    assert first.status_code == (303 if allowed else 403)
    assert reply.status_code == (303 if allowed else 403)
    assert Comment.objects.filter(body__in=["Hello", "Reply"]).count() == (2 if allowed else 0)
    if who == "suspended":
        assert "You are suspended from commenting until" in first.content.decode()


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("action", ["edit", "delete"])
def test_matrix_edit_and_delete_of_readers_comment(client, story, users, who, action):
    comment = CommentFactory(page=story, author=users["reader"], body="Reader's words")
    _login(client, who, users)
    response = client.post(action_url(action, comment), {"body": "Changed"})
    comment.refresh_from_db()
    if who == "reader":
        assert response.status_code == 303
        assert comment.body == "Changed" if action == "edit" else comment.status == "removed"
    else:
        # Staff moderate in the admin (a later step), not through the reader's buttons.
        assert response.status_code == 403
        assert comment.body == "Reader's words" and comment.status == CommentStatus.VISIBLE


@pytest.mark.parametrize("who", ACTORS)
def test_matrix_like_and_report_of_readers_comment(client, story, users, who):
    comment = CommentFactory(page=story, author=users["reader"])
    _login(client, who, users)
    like = client.post(action_url("like", comment))
    report = client.post(action_url("report", comment), {"reason": "abuse"})
    allowed = who in ("other", "staff", "moderator", "editor")
    assert like.status_code == (303 if allowed else 403)
    assert report.status_code == (303 if allowed else 403)
    assert CommentLike.objects.count() == (1 if allowed else 0)
    assert CommentReport.objects.count() == (1 if allowed else 0)
    comment.refresh_from_db()
    assert comment.like_count == (1 if allowed else 0)


@pytest.mark.parametrize("who", ACTORS)
def test_matrix_held_comment_of_another_is_404(client, story, users, who):
    held = CommentFactory(page=story, author=users["reader"], status=CommentStatus.HELD)
    _login(client, who, users)
    response = client.post(action_url("like", held))
    assert response.status_code == (403 if who == "reader" else 404)


def test_all_replies_page_shows_which_replies_the_reader_liked(client, story, reader, other):
    top = CommentFactory(page=story, author=other)
    liked, not_liked = (CommentFactory(page=story, author=other, parent=top) for _ in range(2))
    CommentLike.objects.create(comment=liked, user=reader)
    client.force_login(reader)
    html = client.get(reverse("discussions:replies", args=[top.pk])).content.decode()

    def pressed(comment):
        article = html.split(f'id="comment-{comment.pk}"', 1)[1]
        return re.search(r'aria-pressed="(\w+)"', article).group(1)

    assert (pressed(liked), pressed(not_liked)) == ("true", "false")
