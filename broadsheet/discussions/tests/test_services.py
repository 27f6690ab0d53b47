"""The rules of posting: who may, when it is refused, when it is held."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from broadsheet.discussions.choices import DiscussionMode
from broadsheet.discussions.factories import BannedPhraseFactory, CommentFactory
from broadsheet.discussions.models import CommentLike, CommentReport, CommentStatus
from broadsheet.discussions.selectors import comment_counts, discussion_mode
from broadsheet.discussions.services import (
    CommentRefused,
    comment_delete,
    comment_edit,
    comment_like_toggle,
    comment_post,
    comment_report,
    comment_text_clean,
)

pytestmark = pytest.mark.django_db


def test_a_verified_reader_posts_a_visible_comment(story, reader):
    comment = comment_post(user=reader, page=story, body="  Good piece.\r\nThanks  ", ip="10.0.0.1")
    assert comment.status == CommentStatus.VISIBLE
    assert comment.body == "Good piece.\nThanks"
    assert comment.ip_address == "10.0.0.1"
    assert comment_counts(page_ids=[story.pk]) == {story.pk: 1}


@pytest.mark.parametrize(
    ("who", "message"),
    [("anonymous", "log in or register"), ("unverified", "Confirm your email address")],
)
def test_only_verified_readers_post(story, unverified, who, message):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else unverified
    with pytest.raises(CommentRefused, match=message) as refused:
        comment_post(user=user, page=story, body="Hello")
    assert refused.value.status == 403


def test_modes_resolve_story_then_section_then_site(story, world, conf):
    assert discussion_mode(page=story) == DiscussionMode.OPEN
    conf.default_mode = DiscussionMode.CLOSED
    conf.save()
    assert discussion_mode(page=story) == DiscussionMode.CLOSED
    world.discussion_mode = DiscussionMode.PREMODERATED
    world.save()
    story.section = world
    assert discussion_mode(page=story) == DiscussionMode.PREMODERATED
    story.discussion_mode = DiscussionMode.OPEN
    assert discussion_mode(page=story) == DiscussionMode.OPEN


def test_closed_discussion_refuses_new_comments_and_keeps_old_ones(story, reader, other):
    old = CommentFactory(page=story, author=other)
    story.discussion_mode = DiscussionMode.CLOSED
    story.save()
    with pytest.raises(CommentRefused, match="closed"):
        comment_post(user=reader, page=story, body="Late")
    old.refresh_from_db()
    assert old.status == CommentStatus.VISIBLE


def test_premoderated_discussion_holds_every_comment(story, reader):
    story.discussion_mode = DiscussionMode.PREMODERATED
    story.save()
    comment = comment_post(user=reader, page=story, body="Hello")
    assert comment.status == CommentStatus.HELD
    assert "premoderated" in comment.hold_reason
    assert comment_counts(page_ids=[story.pk]) == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something"),
        ("   \n\t ", "Write something"),
        ("a\x00b", "invisible control characters"),
        ("abc\u202edcba", "invisible control characters"),
        ("x\u2066y\u2069", "invisible control characters"),
        ("x" * 5001, "at most 5000 characters"),
    ],
)
def test_text_refusals(story, reader, body, message):
    with pytest.raises(CommentRefused, match=message):
        comment_post(user=reader, page=story, body=body)


def test_text_is_stored_as_typed():
    typed = "<b>bold</b> ' OR 1=1; --\u200b\u200d 👩\u200d💻\n\n  indented"
    assert comment_text_clean(f"\r\n {typed} \r\n", max_length=5000) == typed


def test_rate_limit_names_the_seconds_to_wait(story, reader):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        comment_post(user=reader, page=story, body="First")
        clock.shift(5)
        with pytest.raises(CommentRefused, match="You can post again in 15 seconds.") as refused:
            comment_post(user=reader, page=story, body="Second")
        assert refused.value.status == 429
        clock.shift(15)
        comment_post(user=reader, page=story, body="Second")


def test_rate_limit_per_ip_covers_several_accounts(story, reader, other):
    with time_machine.travel(timezone.now(), tick=False):
        comment_post(user=reader, page=story, body="One", ip="192.0.2.7")
        with pytest.raises(CommentRefused, match="You can post again in 20 seconds"):
            comment_post(user=other, page=story, body="Two", ip="192.0.2.7")
        comment_post(user=other, page=story, body="Two", ip="192.0.2.8")


def test_rate_limit_per_window(story, reader, conf):
    conf.post_interval_seconds = 1
    conf.window_max_posts = 3
    conf.burst_max_posts = 100
    conf.save()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(3):
            comment_post(user=reader, page=story, body=f"Comment {n}")
            clock.shift(2)
        with pytest.raises(CommentRefused, match="You can post again in 594 seconds"):
            comment_post(user=reader, page=story, body="One too many")


def test_banned_phrase_holds(story, reader, no_rate_limits):
    BannedPhraseFactory(phrase="Miracle Pills", whole_word=True)
    BannedPhraseFactory(phrase="scam", whole_word=True)
    BannedPhraseFactory(phrase="xxx", whole_word=False)
    held = comment_post(user=reader, page=story, body="Buy miracle pills now")
    assert held.status == CommentStatus.HELD and "banned phrase" in held.hold_reason
    assert comment_post(user=reader, page=story, body="The scammers lied").is_visible
    assert not comment_post(user=reader, page=story, body="A fooxxxbar").is_visible


def test_links_from_new_commenters_are_held(story, reader, no_rate_limits):
    held = comment_post(user=reader, page=story, body="See https://example.org/x")
    assert held.status == CommentStatus.HELD and "links" in held.hold_reason
    CommentFactory.create_batch(3, page=story, author=reader)
    assert comment_post(user=reader, page=story, body="See https://example.org/y").is_visible


def test_duplicate_within_a_day_is_held(story, reader, no_rate_limits):
    CommentFactory(page=story, author=reader, body="Same words")
    held = comment_post(user=reader, page=story, body="Same words")
    assert held.status == CommentStatus.HELD and "duplicate" in held.hold_reason
    CommentFactory(
        page=story,
        author=reader,
        body="Old words",
        created_at=timezone.now() - timedelta(hours=25),
    )
    assert comment_post(user=reader, page=story, body="Old words").is_visible


def test_burst_is_held(story, reader, no_rate_limits):
    CommentFactory.create_batch(5, page=story, author=reader)
    held = comment_post(user=reader, page=story, body="Sixth in five minutes")
    assert held.status == CommentStatus.HELD and "burst" in held.hold_reason


def test_reply_to_a_reply_attaches_to_the_top_level(story, reader, other, no_rate_limits):
    top = comment_post(user=reader, page=story, body="Top")
    reply = comment_post(user=other, page=story, body="Reply", parent=top)
    deeper = comment_post(user=reader, page=story, body="Reply to reply", parent=reply)
    assert reply.parent == top and reply.reply_to is None
    assert deeper.parent == top and deeper.reply_to == reply


def test_cannot_reply_to_a_comment_not_shown(story, reader, other):
    held = CommentFactory(page=story, author=other, status=CommentStatus.HELD)
    with pytest.raises(CommentRefused, match="can no longer be replied to"):
        comment_post(user=reader, page=story, body="Hi", parent=held)


def test_edit_within_the_window_only(story, reader, no_rate_limits):
    comment = comment_post(user=reader, page=story, body="Frist")
    comment_edit(user=reader, comment=comment, body="First")
    comment.refresh_from_db()
    assert comment.body == "First" and comment.edited_at is not None
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        with pytest.raises(CommentRefused, match="time for editing"):
            comment_edit(user=reader, comment=comment, body="Later")


def test_edit_reruns_hold_rules(story, reader):
    BannedPhraseFactory(phrase="forbidden")
    comment = comment_post(user=reader, page=story, body="Fine")
    comment_edit(user=reader, comment=comment, body="Now forbidden")
    assert comment.status == CommentStatus.HELD
    assert comment_counts(page_ids=[story.pk]) == {}


def test_only_the_author_edits_and_deletes(story, reader, other):
    comment = CommentFactory(page=story, author=reader)
    with pytest.raises(CommentRefused, match="your own"):
        comment_edit(user=other, comment=comment, body="Mine now")
    with pytest.raises(CommentRefused, match="your own"):
        comment_delete(user=other, comment=comment)
    comment_delete(user=reader, comment=comment)
    assert comment.status == CommentStatus.REMOVED


def test_like_toggles_and_keeps_the_count(story, reader, other):
    comment = CommentFactory(page=story, author=reader)
    assert comment_like_toggle(user=other, comment=comment) is True
    assert comment.like_count == 1
    assert comment_like_toggle(user=other, comment=comment) is False
    assert comment.like_count == 0
    assert not CommentLike.objects.exists()
    with pytest.raises(CommentRefused, match="your own"):
        comment_like_toggle(user=reader, comment=comment)


def test_report_once(story, reader, other):
    comment = CommentFactory(page=story, author=reader)
    comment_report(user=other, comment=comment, reason="spam", text="Ads")
    with pytest.raises(CommentRefused, match="already reported"):
        comment_report(user=other, comment=comment, reason="abuse")
    with pytest.raises(CommentRefused, match="Choose a reason"):
        comment_report(user=other, comment=CommentFactory(page=story), reason="bogus")
    with pytest.raises(CommentRefused, match="at most 500"):
        comment_report(
            user=other, comment=CommentFactory(page=story), reason="other", text="x" * 501
        )
    assert CommentReport.objects.count() == 1


def test_a_deleted_likers_like_leaves_the_count(story, reader, other):
    comment = CommentFactory(page=story, author=reader)
    comment_like_toggle(user=other, comment=comment)
    other.delete()
    comment.refresh_from_db()
    assert comment.like_count == 0
