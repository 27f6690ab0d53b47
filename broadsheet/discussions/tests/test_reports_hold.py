"""Enough different readers reporting a comment take it off the page until a
moderator decides; one reader alone never can."""

import pytest
from django.urls import reverse

from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.discussions.models import CommentReport, CommentStatus
from broadsheet.discussions.selectors import comment_counts
from broadsheet.discussions.services import (
    HoldReason,
    comment_approve,
    comment_report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(db):
    return [reader_verified(username=f"r{i}", display_name=f"Reporter {i}") for i in range(4)]


def _report(comment, readers, story):
    for reader in readers:
        comment.page = story
        comment_report(user=reader, comment=comment, reason="abuse")
        comment.refresh_from_db()


def test_third_report_holds_the_comment(client, story, reader, readers, conf):
    comment = CommentFactory(page=story, author=reader, body="Insults")
    _report(comment, readers[:2], story)
    assert comment.status == CommentStatus.VISIBLE
    assert comment_counts(page_ids=[story.pk]) == {story.pk: 1}

    _report(comment, readers[2:3], story)
    assert comment.status == CommentStatus.HELD
    assert comment.hold_reason == HoldReason.REPORTED
    assert comment_counts(page_ids=[story.pk]) == {}
    url = reverse("discussions:thread", args=[story.pk])
    assert "Insults" not in client.get(url).content.decode()
    client.force_login(reader)
    mine = client.get(url).content.decode()
    assert "Insults" in mine and "Your comment is awaiting moderation." in mine


def test_a_moderator_approving_puts_it_back_for_good(story, reader, readers, moderator, conf):
    comment = CommentFactory(page=story, author=reader)
    _report(comment, readers[:3], story)
    comment_approve(moderator=moderator, comment=comment)
    assert comment.status == CommentStatus.VISIBLE
    assert not CommentReport.objects.filter(resolved_at__isnull=True).exists()
    _report(comment, readers[3:], story)  # a fourth reader: one open report again
    assert comment.status == CommentStatus.VISIBLE


def test_the_threshold_is_a_site_setting(story, reader, readers, conf):
    conf.reports_to_hold = 0
    conf.save()
    comment = CommentFactory(page=story, author=reader)
    _report(comment, readers, story)
    assert comment.status == CommentStatus.VISIBLE

    conf.reports_to_hold = 1
    conf.save()
    other = CommentFactory(page=story, author=reader)
    _report(other, readers[:1], story)
    assert other.status == CommentStatus.HELD
