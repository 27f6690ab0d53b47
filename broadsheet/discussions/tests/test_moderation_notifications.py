"""Emails: reply notifications for readers who opted in, and the moderators'
daily digest (task, management command, once-a-day scheduling)."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.factories import UserFactory
from broadsheet.discussions.factories import CommentFactory, CommentReportFactory, reader_verified
from broadsheet.discussions.models import CommentStatus, DiscussionPreferences
from broadsheet.discussions.services import (
    comment_approve,
    comment_post,
    discussion_preferences_set,
)
from broadsheet.discussions.tasks import moderation_digest_schedule, moderation_digest_task

pytestmark = pytest.mark.django_db


def test_opted_in_author_gets_an_email_after_commit(
    story, reader, other, no_rate_limits, django_capture_on_commit_callbacks
):
    discussion_preferences_set(user=reader, notify_replies=True)
    top = CommentFactory(page=story, author=reader)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply = comment_post(user=other, page=story, body="I disagree, politely.", parent=top)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [email] = [m for m in mail.outbox if m.to == [reader.email]]
    assert "Otto Other" in email.subject
    assert "I disagree, politely." in email.body
    assert f"/discussions/{story.pk}/#comment-{reply.pk}" in email.body
    assert story.title in email.body


def test_no_email_without_opt_in_or_to_oneself(
    story, reader, other, no_rate_limits, django_capture_on_commit_callbacks
):
    top = CommentFactory(page=story, author=reader)
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(user=other, page=story, body="Not opted in", parent=top)
    discussion_preferences_set(user=reader, notify_replies=True)
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(user=reader, page=story, body="Answering myself", parent=top)
    assert mail.outbox == []


def test_reply_to_a_reply_notifies_the_one_answered(
    story, reader, other, no_rate_limits, django_capture_on_commit_callbacks
):
    third = reader_verified(username="third", display_name="Thea Third")
    discussion_preferences_set(user=other, notify_replies=True)
    top = CommentFactory(page=story, author=reader)
    answer = CommentFactory(page=story, author=other, parent=top)
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(user=third, page=story, body="@Otto yes", parent=answer)
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_held_reply_notifies_only_when_approved(
    story, reader, other, moderator, no_rate_limits, django_capture_on_commit_callbacks
):
    from broadsheet.discussions.factories import BannedPhraseFactory

    BannedPhraseFactory(phrase="scam")
    discussion_preferences_set(user=reader, notify_replies=True)
    top = CommentFactory(page=story, author=reader)
    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_post(user=other, page=story, body="What a scam", parent=top)
    assert reply.status == CommentStatus.HELD
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(moderator=moderator, comment=reply)
    assert [m.to for m in mail.outbox] == [[reader.email]]


def test_account_page_sets_the_preference(client, reader):
    client.force_login(reader)
    url = reverse("accounts:account")
    assert 'name="notify_replies"' in client.get(url).content.decode()
    data = {"display_name": "Rita Reader", "bio": "", "notify_replies": "on"}
    assert client.post(url, data).status_code == 302
    assert DiscussionPreferences.objects.get(user=reader).notify_replies
    assert client.get(url).context["form"]["notify_replies"].value() is True
    client.post(url, {"display_name": "Rita Reader", "bio": ""})
    assert not DiscussionPreferences.objects.get(user=reader).notify_replies


def _queue(story, reader, other):
    old = timezone.now() - timedelta(hours=30)
    CommentFactory(page=story, author=reader, status=CommentStatus.HELD, created_at=old)
    CommentFactory(page=story, author=reader, status=CommentStatus.HELD)
    reported = CommentFactory(page=story, author=reader)
    CommentReportFactory(comment=reported, reporter=other)
    CommentFactory(page=story, author=reader)  # visible, unreported: not waiting


def test_digest_goes_to_every_moderator_with_the_counts(story, reader, other, moderator):
    UserFactory(username="root", is_superuser=True, is_staff=True)
    UserFactory(username="ed", is_staff=True, groups=["Editors"])
    UserFactory(username="gone", groups=["Moderators"], is_active=False)
    _queue(story, reader, other)
    assert moderation_digest_task.enqueue().return_value == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["mod@example.org", "root@example.org"]
    email = mail.outbox[0]
    assert email.subject == "Comments waiting: 1 reported, 2 held"
    assert "Reported comments: 1" in email.body and "Held comments: 2" in email.body
    assert "(30 hours)" in email.body
    assert "http://" in email.body and "/admin/discussions/queue/" in email.body


def test_digest_with_an_empty_queue(moderator):
    call_command("send_moderation_digest")
    [email] = mail.outbox
    assert "Nothing is waiting." in email.body
    assert email.subject == "Comments waiting: 0 reported, 0 held"


def test_scheduler_queues_the_digest_once_a_day(moderator):
    cache.clear()
    tz = timezone.get_current_timezone()
    early = datetime(2026, 11, 26, 5, 0, tzinfo=tz)
    morning = datetime(2026, 11, 26, 8, 0, tzinfo=tz)
    assert not moderation_digest_schedule(now=early)
    assert moderation_digest_schedule(now=morning)
    assert not moderation_digest_schedule(now=morning + timedelta(hours=3))
    assert moderation_digest_schedule(now=morning + timedelta(days=1))
    assert len(mail.outbox) == 2
