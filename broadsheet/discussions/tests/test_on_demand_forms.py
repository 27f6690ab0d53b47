"""Reply, edit and report forms are fetched for one comment when asked for.

The signed-in thread carries a link per comment instead of a form: the page
stays small and fast, and the link works without JavaScript (a page with the
form) and with htmx (the form swapped in place).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.discussions.choices import DiscussionMode
from broadsheet.discussions.factories import CommentFactory
from broadsheet.discussions.models import Comment, CommentReport, CommentStatus

from .conftest import HX

pytestmark = pytest.mark.django_db


def thread_url(story):
    return reverse("discussions:thread", args=[story.pk])


def form_url(kind, comment):
    return reverse(f"discussions:{kind}", args=[comment.pk])


def _thread(story, other, *, tops=3, replies=2):
    for n in range(tops):
        top = CommentFactory(page=story, author=other, body=f"Top {n}")
        for m in range(replies):
            CommentFactory(page=story, author=other, parent=top, body=f"Reply {n}.{m}")


# ------------------------------------------------------------- the thread


def test_signed_in_thread_has_links_not_forms(client, story, reader, other):
    _thread(story, other)
    mine = CommentFactory(page=story, author=reader, body="Mine")
    client.force_login(reader)
    html = client.get(thread_url(story), **HX).content.decode()
    # Only the thread's own "post a comment" box has a textarea; no reasons list.
    assert html.count("<textarea") == 1 and f'id="comment-body-{story.pk}"' in html
    assert "<select" not in html and 'name="reason"' not in html
    assert 'name="parent"' not in html and "<details" not in html
    theirs = Comment.objects.filter(author=other).first()
    for kind in ("reply", "report"):
        url = form_url(kind, theirs)
        assert f'href="{url}" hx-get="{url}"' in html
    assert f'href="{form_url("edit", mine)}"' in html
    assert f'href="{form_url("report", mine)}"' not in html
    # The like button stays a one-click form, with its CSRF field.
    like = html.split(f'action="{form_url("like", theirs)}"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken" value="' in like


def test_link_prefixes_match_the_url_patterns(client, story, reader, other):
    theirs = CommentFactory(page=story, author=other)
    mine = CommentFactory(page=story, author=reader)
    client.force_login(reader)
    html = client.get(thread_url(story)).content.decode()
    for kind in ("reply", "report", "like"):
        assert f'"{form_url(kind, theirs)}"' in html, kind
    for kind in ("edit", "delete"):
        assert f'"{form_url(kind, mine)}"' in html, kind
    profile = reverse("accounts:profile", args=[other.pk])
    assert f'href="{profile}"' in html


@pytest.mark.parametrize("after", [False, True])
def test_signed_in_thread_query_count_is_constant(client, story, reader, other, after):
    def queries(tops, replies):
        Comment.objects.filter(page=story).delete()
        _thread(story, other, tops=tops, replies=replies)
        CommentFactory(page=story, author=reader, body="Mine")
        url = thread_url(story)
        if after:
            first = client.get(url, **HX).content.decode()
            cursor = re.search(r'after=([0-9.]+)"', first)
            url = f"{url}?after={cursor.group(1)}" if cursor else url
        client.get(url, **HX)  # warm the per-process memos
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **HX)
        assert response.status_code == 200
        return len(captured)

    client.force_login(reader)
    small = queries(2, 1)
    large = queries(45, 4)
    assert small == large
    # versions, session, user, comments, replies, likes, e-mail verified
    assert large <= 7


# ------------------------------------------------------ without JavaScript


def test_reply_without_js_page_form_post_redirect(client, story, reader, other, no_rate_limits):
    top = CommentFactory(page=story, author=other, body="Worth answering")
    client.force_login(reader)
    page = client.get(form_url("reply", top))
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    assert "Worth answering" in html
    assert f'action="{reverse("discussions:post", args=[story.pk])}"' in html
    assert f'name="parent" value="{top.pk}"' in html
    assert f'id="reply-body-{top.pk}"' in html and "autofocus" in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token
    response = client.post(
        reverse("discussions:post", args=[story.pk]),
        {"body": "My plain reply", "parent": top.pk},
    )
    assert response.status_code == 303
    new = Comment.objects.get(body="My plain reply")
    assert new.parent == top
    assert "My plain reply" in client.get(response["Location"]).content.decode()


def test_refused_reply_without_js_keeps_text_next_to_the_message(client, story, reader, other):
    top = CommentFactory(page=story, author=other)
    client.force_login(reader)
    response = client.post(
        reverse("discussions:post", args=[story.pk]),
        {"body": "x" * 5001 + " mine", "parent": top.pk},
    )
    assert response.status_code == 422
    html = response.content.decode()
    form = html.split(f'name="parent" value="{top.pk}"', 1)[1].split("</form>", 1)[0]
    assert "at most 5000 characters" in form
    assert "x" * 5001 + " mine" in form


def test_refused_report_without_js_keeps_text_and_reason(client, story, reader, other):
    theirs = CommentFactory(page=story, author=other)
    client.force_login(reader)
    response = client.post(form_url("report", theirs), {"reason": "", "text": "Careful words"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Choose a reason for your report." in html and "Careful words" in html
    assert f'id="report-reason-{theirs.pk}"' in html


def test_report_and_edit_pages_without_js(client, story, reader, other):
    theirs = CommentFactory(page=story, author=other)
    mine = CommentFactory(page=story, author=reader, body="My first draft")
    client.force_login(reader)
    report = client.get(form_url("report", theirs)).content.decode()
    assert f'id="report-reason-{theirs.pk}"' in report and 'value="spam"' in report
    response = client.post(form_url("report", theirs), {"reason": "spam"})
    assert response.status_code == 303 and CommentReport.objects.count() == 1
    edit = client.get(form_url("edit", mine)).content.decode()
    assert f'id="edit-body-{mine.pk}"' in edit and "My first draft</textarea>" in edit


# ----------------------------------------------------------------- htmx


@pytest.mark.parametrize(
    ("kind", "field"),
    [("reply", "reply-body-"), ("report", "report-reason-"), ("edit", "edit-body-")],
)
def test_htmx_gets_only_the_form(client, story, reader, other, kind, field):
    theirs = CommentFactory(page=story, author=other)
    mine = CommentFactory(page=story, author=reader)
    comment = mine if kind == "edit" else theirs
    client.force_login(reader)
    response = client.get(form_url(kind, comment), **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html
    assert html.count("<form") == 1 and f'id="{field}{comment.pk}"' in html
    assert "autofocus" in html and "csrfmiddlewaretoken" in html
    assert "private" in response["Cache-Control"] and "HX-Request" in response["Vary"]


def test_htmx_refused_reply_keeps_text_in_the_form(client, story, reader, other):
    top = CommentFactory(page=story, author=other)
    client.force_login(reader)
    response = client.post(
        reverse("discussions:post", args=[story.pk]),
        {"body": "nul\x00byte and more", "parent": top.pk},
        **HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "invisible control characters" in html and f'id="reply-body-{top.pk}"' in html


# --------------------------------------------------------- who sees what


@pytest.mark.parametrize("kind", ["reply", "report", "edit"])
@pytest.mark.parametrize(
    "status", [CommentStatus.REMOVED, CommentStatus.REJECTED, CommentStatus.HELD]
)
def test_hidden_comments_are_404(client, story, reader, other, kind, status):
    hidden = CommentFactory(page=story, author=other, status=status)
    client.force_login(reader)
    assert client.get(form_url(kind, hidden)).status_code == 404
    assert client.get(form_url(kind, hidden), **HX).status_code == 404


def test_non_public_story_and_missing_comment_are_404(client, world, reader, other):
    from broadsheet.news.factories import ArticlePageFactory

    draft = ArticlePageFactory(parent=world, live=False)
    comment = CommentFactory(page=draft, author=other)
    client.force_login(reader)
    for kind in ("reply", "report", "edit"):
        assert client.get(form_url(kind, comment)).status_code == 404
        assert client.get(reverse(f"discussions:{kind}", args=[999999])).status_code == 404


def test_anonymous_gets_the_log_in_prompt(client, story, other):
    top = CommentFactory(page=story, author=other)
    for kind in ("reply", "report"):
        response = client.get(form_url(kind, top))
        html = response.content.decode()
        assert response.status_code == 200
        assert "To participate in the discussion" in html and "/accounts/login/?next=" in html
        assert "<textarea" not in html and "csrfmiddlewaretoken" not in html
        assert not response.cookies
        fragment = client.get(form_url(kind, top), **HX).content.decode()
        assert "To participate in the discussion" in fragment and "<form" not in fragment


def test_unverified_reader_is_asked_to_confirm(client, story, other, unverified):
    top = CommentFactory(page=story, author=other)
    client.force_login(unverified)
    html = client.get(form_url("reply", top)).content.decode()
    assert "Confirm your email address" in html and "<textarea" not in html


def test_closed_discussion_refuses_the_reply_form(client, story, reader, other):
    top = CommentFactory(page=story, author=other)
    story.discussion_mode = DiscussionMode.CLOSED
    story.save_revision().publish()
    client.force_login(reader)
    response = client.get(form_url("reply", top))
    assert response.status_code == 403
    html = response.content.decode()
    assert "This discussion is closed." in html and "<textarea" not in html
    fragment = client.get(form_url("reply", top), **HX)
    assert fragment.status_code == 200
    assert "This discussion is closed." in fragment.content.decode()
    assert "<form" not in fragment.content.decode()
    # Reports stay possible on a closed discussion, as before.
    assert "<select" in client.get(form_url("report", top), **HX).content.decode()


def test_own_comment_cannot_be_reported_and_others_not_edited(client, story, reader, other):
    theirs = CommentFactory(page=story, author=other)
    mine = CommentFactory(page=story, author=reader)
    client.force_login(reader)
    report = client.get(form_url("report", mine))
    assert report.status_code == 403
    assert "You cannot report your own comment." in report.content.decode()
    edit = client.get(form_url("edit", theirs))
    assert edit.status_code == 403
    assert "You can only edit your own comments." in edit.content.decode()


def test_reply_url_takes_no_post(client, story, reader, other):
    top = CommentFactory(page=story, author=other)
    client.force_login(reader)
    assert client.post(form_url("reply", top), {"body": "Hi"}).status_code == 405


def test_thread_shows_the_first_replies_of_each_comment(client, story, reader, other, monkeypatch):
    from broadsheet.discussions import selectors

    monkeypatch.setattr(selectors, "REPLIES_SHOWN", 2)
    busy = CommentFactory(page=story, author=other, body="Busy")
    CommentFactory(page=story, author=reader, parent=busy, body="Held, not mine", status="held")
    for n in range(4):
        CommentFactory(page=story, author=reader, parent=busy, body=f"Answer {n}")
    quiet = CommentFactory(page=story, author=other, body="Quiet")
    CommentFactory(page=story, author=reader, parent=quiet, body="Only answer")
    client.force_login(other)
    html = client.get(thread_url(story)).content.decode()
    assert "Answer 0" in html and "Answer 1" in html and "Answer 2" not in html
    assert "Held, not mine" not in html and "Only answer" in html
    assert f'href="{reverse("discussions:replies", args=[busy.pk])}"' in html
    assert f'href="{reverse("discussions:replies", args=[quiet.pk])}"' not in html
