"""The moderation desk through the real Wagtail admin views: who sees it, the
queue's tabs and rows, every action with its audit entry and message."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.factories import UserFactory
from broadsheet.discussions.factories import CommentFactory, CommentReportFactory
from broadsheet.discussions.models import (
    CommentReport,
    CommentStatus,
    ModerationAction,
    ReaderStanding,
    ReportReason,
)
from broadsheet.discussions.selectors import comment_counts
from broadsheet.discussions.services import reader_ban

pytestmark = pytest.mark.django_db

QUEUE = "/admin/discussions/queue/"
AUDIT = "/admin/discussions/audit/"


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", is_staff=True, groups=["Editors"])


def action_url(comment, action):
    return reverse("discussions_admin:action", args=[comment.pk, action])


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _last_message(response):
    return _messages(response)[-1]


def _refused(response):
    """Wagtail answers a PermissionDenied in its admin with a redirect to the
    dashboard and a "no permission" message."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def _to_login(response):
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_urls_are_where_the_issue_says():
    assert reverse("discussions_admin:queue") == QUEUE
    assert reverse("discussions_admin:audit") == AUDIT


def test_menu_item_only_for_moderators(client, home, moderator, editor):
    client.force_login(moderator)
    assert QUEUE in client.get("/admin/").content.decode()
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert QUEUE not in html and AUDIT not in html


def test_superuser_sees_the_queue(client, home):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(QUEUE).status_code == 200


@pytest.mark.parametrize("url", [QUEUE, AUDIT])
def test_views_refuse_others(client, home, story, reader, editor, url):
    assert _to_login(client.get(url))  # anonymous
    client.force_login(reader)
    assert _to_login(client.get(url))  # no admin access
    client.force_login(editor)
    response = client.get(url)
    assert _refused(response)
    assert "permission" in _last_message(response)


def test_actions_refuse_non_moderators(client, story, reader, editor):
    comment = CommentFactory(page=story, author=reader, status=CommentStatus.HELD)
    for action in ("approve", "reject", "remove", "warn", "ban"):
        client.force_login(editor)
        assert _refused(client.post(action_url(comment, action)))
        client.force_login(reader)
        assert _to_login(client.post(action_url(comment, action)))
    edit = reverse("discussions_admin:edit", args=[comment.pk])
    client.force_login(editor)
    assert _refused(client.post(edit, {"body": "Hacked"}))
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD and comment.body != "Hacked"
    assert not ModerationAction.objects.exists() and not ReaderStanding.objects.exists()


def test_queue_tabs_default_to_reported_then_held_then_newest(
    client, story, reader, other, moderator
):
    client.force_login(moderator)
    visible = CommentFactory(page=story, author=reader, body="Plain comment")
    assert client.get(QUEUE).context["tab"] == "newest"
    held = CommentFactory(page=story, author=reader, status=CommentStatus.HELD, body="Held one")
    response = client.get(QUEUE)
    assert response.context["tab"] == "held"
    assert [row["comment"] for row in response.context["rows"]] == [held]
    CommentReportFactory(comment=visible, reporter=other, reason=ReportReason.ABUSE, text="Rude")
    response = client.get(QUEUE)
    assert response.context["tab"] == "reported"
    assert [row["comment"] for row in response.context["rows"]] == [visible]
    newest = client.get(QUEUE, {"tab": "newest"})
    assert [row["comment"] for row in newest.context["rows"]] == [held, visible]


def test_queue_row_shows_what_a_moderator_needs(client, story, reader, other, moderator):
    comment = CommentFactory(
        page=story,
        author=reader,
        body="<script>alert(1)</script> " + "long " * 200,
        status=CommentStatus.HELD,
        hold_reason="banned phrase",
    )
    CommentReportFactory(comment=comment, reporter=other, reason=ReportReason.ABUSE, text="Nasty")
    ReaderStanding.objects.create(user=reader, warnings=2)
    client.force_login(moderator)
    html = client.get(QUEUE, {"tab": "reported"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "long " * 100 not in html  # truncated
    assert story.title in html
    assert f'href="{story.url}#comment-{comment.pk}"' in html
    assert reverse("wagtailadmin_pages:edit", args=[story.pk]) in html
    assert f'href="/readers/{reader.pk}/"' in html and "Rita Reader" in html
    assert "Warned ×2" in html
    assert "Abusive or hateful" in html and "Nasty" in html
    assert "banned phrase" in html
    assert html.count("csrfmiddlewaretoken") >= 6
    for action in ("approve", "reject", "remove", "warn", "suspend", "ban"):
        assert action_url(comment, action) in html
    assert reverse("discussions_admin:edit", args=[comment.pk]) in html


def test_queue_paginates_by_50(client, story, reader, moderator):
    CommentFactory.create_batch(51, page=story, author=reader)
    client.force_login(moderator)
    first = client.get(QUEUE, {"tab": "newest"})
    assert len(first.context["rows"]) == 50
    assert len(client.get(QUEUE, {"tab": "newest", "p": 2}).context["rows"]) == 1


def test_approve_through_the_admin(client, story, reader, moderator):
    held = CommentFactory(page=story, author=reader, status=CommentStatus.HELD)
    client.force_login(moderator)
    response = client.post(action_url(held, "approve"), {"next": QUEUE + "?tab=held"})
    assert response.status_code == 302 and response["Location"] == QUEUE + "?tab=held"
    assert _last_message(response) == "Comment approved."
    held.refresh_from_db()
    assert held.status == CommentStatus.VISIBLE
    assert comment_counts(page_ids=[story.pk]) == {story.pk: 1}
    entry = ModerationAction.objects.get()
    assert entry.action == "approve" and entry.moderator == moderator


def test_approving_an_authors_deletion_is_refused_with_a_message(client, story, reader, moderator):
    comment = CommentFactory(page=story, author=reader, status=CommentStatus.REMOVED)
    client.force_login(moderator)
    response = client.post(action_url(comment, "approve"))
    assert response.status_code == 302
    assert "cannot be approved" in _last_message(response)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
    assert not ModerationAction.objects.exists()


def test_reject_with_reason_through_the_admin(client, story, reader, other, moderator):
    comment = CommentFactory(page=story, author=reader)
    CommentReportFactory(comment=comment, reporter=other)
    client.force_login(moderator)
    response = client.post(action_url(comment, "reject"), {"reason": "Insults another reader"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert _last_message(response) == "Comment rejected."
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert comment_counts(page_ids=[story.pk]).get(story.pk, 0) == 0
    assert CommentReport.objects.get().resolved_at is not None
    assert ModerationAction.objects.get().reason == "Insults another reader"
    # Handled: the reported tab is empty again.
    assert client.get(QUEUE, {"tab": "reported"}).context["rows"] == []


def test_remove_through_the_admin(client, story, reader, moderator):
    comment = CommentFactory(page=story, author=reader)
    client.force_login(moderator)
    response = client.post(action_url(comment, "remove"))
    assert _last_message(response) == "Comment removed."
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
    assert comment_counts(page_ids=[story.pk]).get(story.pk, 0) == 0
    assert ModerationAction.objects.get().action == "remove"


def test_edit_through_the_admin(client, story, reader, moderator):
    comment = CommentFactory(page=story, author=reader, body="My address is 1 High St")
    url = reverse("discussions_admin:edit", args=[comment.pk])
    client.force_login(moderator)
    page = client.get(url)
    assert page.status_code == 200 and "My address is 1 High St" in page.content.decode()
    assert client.post(url, {"body": ""}).status_code == 400
    response = client.post(url, {"body": "My address is [removed]", "reason": "Privacy"})
    assert response.status_code == 302
    assert _last_message(response) == "Comment edited."
    comment.refresh_from_db()
    assert comment.body == "My address is [removed]"
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.reason) == ("edit", "Privacy")


def test_warn_suspend_ban_unban_the_author_through_the_admin(client, story, reader, moderator):
    comment = CommentFactory(page=story, author=reader)
    client.force_login(moderator)
    response = client.post(action_url(comment, "warn"), {"reason": "Keep it civil"})
    assert _last_message(response) == "Rita Reader has been warned."
    assert ReaderStanding.objects.get(user=reader).warnings == 1

    assert client.post(action_url(comment, "suspend"), {"days": "3"}).status_code == 302
    assert ReaderStanding.objects.get(user=reader).suspended_until is None  # 3 is not a choice
    response = client.post(action_url(comment, "suspend"), {"days": "7"})
    assert _last_message(response) == "Rita Reader is suspended for 7 day(s)."
    until = ReaderStanding.objects.get(user=reader).suspended_until
    assert (
        timezone.timedelta(days=6, hours=23) < until - timezone.now() <= timezone.timedelta(days=7)
    )

    response = client.post(action_url(comment, "ban"))
    assert _last_message(response) == "Rita Reader has been banned."
    assert ReaderStanding.objects.get(user=reader).banned
    html = client.get(QUEUE, {"tab": "newest"}).content.decode()
    assert "Banned" in html
    unban = reverse("discussions_admin:unban", args=[reader.pk])
    assert unban in html
    client.post(unban)
    standing = ReaderStanding.objects.get(user=reader)
    assert not standing.banned and standing.suspended_until is None
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "warn",
        "suspend",
        "ban",
        "unban",
    ]


def test_actions_are_post_only_and_next_must_be_local(client, story, reader, moderator):
    comment = CommentFactory(page=story, author=reader, status=CommentStatus.HELD)
    client.force_login(moderator)
    assert client.get(action_url(comment, "approve")).status_code == 405
    response = client.post(action_url(comment, "approve"), {"next": "https://evil.example/"})
    assert response["Location"] == QUEUE
    assert client.post(action_url(comment, "explode")).status_code == 404


def test_csrf_is_enforced_on_actions(story, reader, moderator):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    comment = CommentFactory(page=story, author=reader, status=CommentStatus.HELD)
    csrf_client.force_login(moderator)
    assert csrf_client.post(action_url(comment, "approve")).status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD


def test_audit_log_lists_newest_first(client, story, reader, moderator):
    comment = CommentFactory(page=story, author=reader, body="Audited words")
    client.force_login(moderator)
    client.post(action_url(comment, "reject"), {"reason": "First"})
    client.post(action_url(comment, "approve"))
    reader_ban(moderator=moderator, reader=reader, reason="Third")
    response = client.get(AUDIT)
    assert response.status_code == 200
    entries = list(response.context["page"])
    assert [e.action for e in entries] == ["ban", "approve", "reject"]
    html = response.content.decode()
    assert "Mona Moderator" in html and "Audited words" in html and "Third" in html
    assert html.index('data-action="ban"') < html.index('data-action="reject"')


def test_audit_log_shows_a_suspension_without_reason_as_such_with_its_end(
    client, story, reader, moderator
):
    from datetime import timedelta

    from broadsheet.discussions.services import reader_suspend

    until = timezone.make_aware(timezone.datetime(2030, 12, 13, 20, 3))
    reader_suspend(moderator=moderator, reader=reader, until=until)
    reader_suspend(
        moderator=moderator, reader=reader, until=until + timedelta(days=1), reason="Rude"
    )
    client.force_login(moderator)
    html = client.get(AUDIT).content.decode()
    assert "until 13 Dec 2030 20:03" in html and "until 14 Dec 2030 20:03" in html
    assert html.count("No reason given") == 1
    assert "Rude" in html
    assert "Until" not in html and "p.m." not in html


@pytest.mark.parametrize("tab", ["reported", "held", "newest"])
def test_queue_query_count_does_not_grow_with_rows(
    client, story, world, reader, other, moderator, tab
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from broadsheet.news.factories import ArticlePageFactory

    client.force_login(moderator)
    second = ArticlePageFactory(parent=world, title="Second story")

    def fill(n):
        for i in range(n):
            comment = CommentFactory(
                page=story if i % 2 else second, author=reader, status=CommentStatus.HELD
            )
            CommentReportFactory(comment=comment, reporter=other)

    fill(2)
    client.get(QUEUE, {"tab": tab})  # warm Wagtail's per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE, {"tab": tab})
    fill(20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE, {"tab": tab})
    assert len(response.context["rows"]) == 22
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
