"""Moderation services: every action, its audit entry, reports resolved,
counts after it, and sanctions refusing the reader's next comment."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from broadsheet.accounts.factories import UserFactory
from broadsheet.discussions.factories import CommentFactory, CommentReportFactory, reader_verified
from broadsheet.discussions.models import (
    Comment,
    CommentReport,
    CommentStatus,
    ModerationAction,
    ReaderStanding,
)
from broadsheet.discussions.selectors import comment_counts
from broadsheet.discussions.services import (
    CommentRefused,
    comment_approve,
    comment_moderator_edit,
    comment_moderator_remove,
    comment_post,
    comment_reject,
    reader_ban,
    reader_suspend,
    reader_unban,
    reader_warn,
    user_can_moderate,
)

pytestmark = pytest.mark.django_db


def _count(story):
    return comment_counts(page_ids=[story.pk]).get(story.pk, 0)


def test_moderators_group_holds_the_permission_and_superusers_have_it():
    group = Group.objects.get(name="Moderators")
    assert group.permissions.filter(
        content_type__app_label="discussions", codename="moderate_comment"
    ).exists()
    assert Permission.objects.get(codename="moderate_comment").name == "Can moderate comments"
    assert user_can_moderate(UserFactory(username="mod2", groups=["Moderators"]))
    assert user_can_moderate(UserFactory(username="root", is_superuser=True))
    assert not user_can_moderate(UserFactory(username="ed", is_staff=True, groups=["Editors"]))


def test_approve_shows_a_held_comment(story, reader, moderator):
    held = CommentFactory(page=story, author=reader, status=CommentStatus.HELD, hold_reason="burst")
    assert _count(story) == 0
    comment_approve(moderator=moderator, comment=held)
    held.refresh_from_db()
    assert held.status == CommentStatus.VISIBLE and held.hold_reason == ""
    assert _count(story) == 1
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.moderator, entry.comment, entry.reader) == (
        "approve",
        moderator,
        held,
        reader,
    )
    assert entry.created_at <= timezone.now()


def test_approve_keeps_a_reported_comment_and_resolves_its_reports(story, reader, other, moderator):
    comment = CommentFactory(page=story, author=reader)
    CommentReportFactory(comment=comment, reporter=other)
    comment_approve(moderator=moderator, comment=comment)
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    assert _count(story) == 1


@pytest.mark.parametrize(
    ("action", "status"),
    [(comment_reject, CommentStatus.REJECTED), (comment_moderator_remove, CommentStatus.REMOVED)],
)
def test_reject_and_remove_hide_resolve_and_log(story, reader, other, moderator, action, status):
    comment = CommentFactory(page=story, author=reader)
    CommentReportFactory(comment=comment, reporter=other)
    assert _count(story) == 1
    action(moderator=moderator, comment=comment, reason="Personal attack")
    comment.refresh_from_db()
    assert comment.status == status
    assert _count(story) == 0
    assert CommentReport.objects.get().resolved_at is not None
    entry = ModerationAction.objects.get()
    assert entry.reason == "Personal attack" and entry.reader == reader


def test_moderator_edit_changes_the_text_and_keeps_the_old_in_the_log(story, reader, moderator):
    comment = CommentFactory(page=story, author=reader, body="Call me on 555-1234")
    comment_moderator_edit(moderator=moderator, comment=comment, body="Call me [number removed]")
    comment.refresh_from_db()
    assert comment.body == "Call me [number removed]" and comment.edited_at
    entry = ModerationAction.objects.get()
    assert entry.action == "edit" and "555-1234" in entry.reason
    with pytest.raises(CommentRefused):
        comment_moderator_edit(moderator=moderator, comment=comment, body="   ")


def test_warn_counts(reader, moderator):
    reader_warn(moderator=moderator, reader=reader, reason="Tone")
    standing = reader_warn(moderator=moderator, reader=reader)
    assert standing.warnings == 2
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["warn", "warn"]


def test_suspended_reader_cannot_post_until_the_end(story, reader, moderator):
    until = timezone.now() + timedelta(days=7)
    reader_suspend(moderator=moderator, reader=reader, until=until)
    with pytest.raises(CommentRefused, match="You are suspended from commenting until") as refused:
        comment_post(user=reader, page=story, body="Let me in")
    assert refused.value.status == 403
    assert ModerationAction.objects.get().action == "suspend"
    with time_machine.travel(until + timedelta(minutes=1)):
        assert comment_post(user=reader, page=story, body="Back again").is_visible


def test_banned_reader_cannot_post_until_unbanned(story, reader, moderator):
    reader_ban(moderator=moderator, reader=reader, reason="Spam account")
    with pytest.raises(CommentRefused, match="banned from the discussions"):
        comment_post(user=reader, page=story, body="Hello")
    reader_unban(moderator=moderator, reader=reader)
    assert not ReaderStanding.objects.get(user=reader).banned
    assert comment_post(user=reader, page=story, body="Hello").is_visible
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "ban",
        "unban",
    ]


def test_sanctioned_reader_cannot_edit_like_or_report_but_can_delete(
    story, reader, other, moderator
):
    from broadsheet.discussions.services import (
        comment_delete,
        comment_edit,
        comment_like_toggle,
        comment_report,
    )

    own = CommentFactory(page=story, author=reader, created_at=timezone.now())
    theirs = CommentFactory(page=story, author=other)
    reader_ban(moderator=moderator, reader=reader)
    for call in (
        lambda: comment_edit(user=reader, comment=own, body="Edited"),
        lambda: comment_like_toggle(user=reader, comment=theirs),
        lambda: comment_report(user=reader, comment=theirs, reason="spam"),
    ):
        with pytest.raises(CommentRefused, match="banned"):
            call()
    comment_delete(user=reader, comment=own)
    own.refresh_from_db()
    assert own.status == CommentStatus.REMOVED


def test_approve_restores_a_moderator_removal_but_not_an_authors_deletion(story, reader, moderator):
    from broadsheet.discussions.services import comment_delete

    removed = CommentFactory(page=story, author=reader)
    comment_moderator_remove(moderator=moderator, comment=removed)
    comment_approve(moderator=moderator, comment=removed)
    assert removed.status == CommentStatus.VISIBLE
    deleted = CommentFactory(page=story, author=reader, created_at=timezone.now())
    comment_delete(user=reader, comment=deleted)
    with pytest.raises(CommentRefused, match="author deleted"):
        comment_approve(moderator=moderator, comment=deleted)
    deleted.refresh_from_db()
    assert deleted.status == CommentStatus.REMOVED


def test_suspension_must_end_in_the_future(reader, moderator):
    with pytest.raises(ValueError):
        reader_suspend(moderator=moderator, reader=reader, until=timezone.now())


@pytest.mark.parametrize(
    "call",
    [
        lambda m, c: comment_approve(moderator=m, comment=c),
        lambda m, c: comment_reject(moderator=m, comment=c),
        lambda m, c: comment_moderator_edit(moderator=m, comment=c, body="x"),
        lambda m, c: comment_moderator_remove(moderator=m, comment=c),
        lambda m, c: reader_warn(moderator=m, reader=c.author),
        lambda m, c: reader_suspend(
            moderator=m, reader=c.author, until=timezone.now() + timedelta(days=1)
        ),
        lambda m, c: reader_ban(moderator=m, reader=c.author),
        lambda m, c: reader_unban(moderator=m, reader=c.author),
    ],
)
def test_only_moderators_moderate(story, reader, staff, call):
    comment = CommentFactory(page=story, author=reader, body="Original")
    for user in (reader, staff):
        with pytest.raises(PermissionDenied):
            call(user, comment)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE and comment.body == "Original"
    assert not ModerationAction.objects.exists()
    assert not ReaderStanding.objects.exists()


def test_audit_log_survives_deleted_moderator_and_comment(story, reader, moderator):
    comment = CommentFactory(page=story, author=reader)
    comment_reject(moderator=moderator, comment=comment, reason="Off-topic")
    moderator.delete()
    Comment.objects.filter(pk=comment.pk).delete()
    entry = ModerationAction.objects.get()
    assert entry.moderator is None and entry.comment is None and entry.reason == "Off-topic"
    assert entry.reader == reader


def test_a_moderator_is_refused_too_while_banned(story, moderator):
    # Sanctions are about the reader, whoever they are.
    other_mod = reader_verified(username="mod3", is_staff=True, groups=["Moderators"])
    reader_ban(moderator=other_mod, reader=moderator)
    with pytest.raises(CommentRefused):
        comment_post(user=moderator, page=story, body="Hi")
