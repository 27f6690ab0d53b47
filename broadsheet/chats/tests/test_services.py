"""Posting rules and moderation services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from broadsheet.chats import services
from broadsheet.chats.factories import ChatMessageFactory, ChatMuteFactory
from broadsheet.chats.models import ChatMessage, MessageStatus, RoomStatus
from broadsheet.chats.services import ChatRefused, chat_message_post
from broadsheet.discussions.factories import BannedPhraseFactory, reader_verified
from broadsheet.discussions.models import ModerationAction, ModerationActionKind, ReaderStanding
from broadsheet.discussions.services import standing_sanction

pytestmark = pytest.mark.django_db


def test_a_verified_reader_posts_and_every_page_is_told(room, reader, published):
    message = chat_message_post(user=reader, room=room, text="  Hello, world  ", ip="10.0.0.1")
    assert message.text == "Hello, world"
    assert message.status == MessageStatus.VISIBLE
    assert message.ip_address == "10.0.0.1"
    room.refresh_from_db()
    assert room.last_activity_at == message.created_at
    [(stream, kind, data)] = published
    assert (stream, kind) == (f"chat-{room.pk}", "message.posted")
    assert data["id"] == message.pk and data["author"] == reader.pk
    assert f'id="chat-msg-{message.pk}"' in data["html"]
    # The same HTML for everyone: no buttons, no form, no token.
    assert "csrf" not in data["html"] and "<form" not in data["html"]


@pytest.mark.parametrize(
    "who, words",
    [
        ("anonymous", "log in or register"),
        ("unverified", "Confirm your email address"),
    ],
)
def test_who_may_not_post(room, unverified, who, words):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else unverified
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=user, room=room, text="hi")
    assert words in refused.value.message
    assert refused.value.status == 403
    assert not ChatMessage.objects.exists()


def test_suspended_and_banned_readers_get_the_discussions_words(room, reader):
    standing = ReaderStanding.objects.create(
        user=reader, suspended_until=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=reader, room=room, text="hi")
    assert refused.value.message == standing_sanction(standing)[1]
    assert "suspended from commenting until" in refused.value.message
    standing.banned = True
    standing.save()
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=reader, room=room, text="hi")
    assert refused.value.message == "Your account has been banned from the discussions."


@pytest.mark.parametrize("status", [RoomStatus.CLOSED, RoomStatus.ARCHIVED])
def test_closed_and_archived_rooms_take_no_message(room, reader, status):
    room.status = status
    room.save()
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=reader, room=room, text="hi")
    assert refused.value.status == 403


def test_a_muted_reader_is_told_until_when(room, reader, other):
    ChatMuteFactory(room=room, user=reader, until=timezone.now() + timedelta(hours=1))
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=reader, room=room, text="hi")
    assert "muted you in this room until" in refused.value.message
    # Only in that room, and only until then.
    chat_message_post(user=other, room=room, text="hi")
    ChatMuteFactory(room=room, user=other, until=timezone.now() - timedelta(minutes=1))
    services.cache.clear()
    chat_message_post(user=other, room=room, text="again")


def test_slow_mode_says_how_many_seconds_to_wait(room, reader, other):
    room.slow_mode_seconds = 30
    room.save()
    chat_message_post(user=reader, room=room, text="one")
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=reader, room=room, text="two")
    assert refused.value.status == 429
    assert refused.value.message in (
        "You can post again in 30 seconds.",
        "You can post again in 29 seconds.",
    )
    # Per reader: someone else may post.
    chat_message_post(user=other, room=room, text="mine")
    ChatMessage.objects.filter(author=reader).update(
        created_at=timezone.now() - timedelta(seconds=18)
    )
    services.cache.clear()
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=reader, room=room, text="two")
    assert refused.value.message == "You can post again in 12 seconds."


def test_rate_limit_per_reader_and_per_ip(room, reader, other, monkeypatch):
    chat_message_post(user=reader, room=room, text="one", ip="10.0.0.9")
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=reader, room=room, text="two", ip="10.0.0.9")
    assert refused.value.message in (
        "You can post again in 2 seconds.",
        "You can post again in 1 second.",
    )
    monkeypatch.setattr(services, "IP_PER_MINUTE", 2)
    chat_message_post(user=other, room=room, text="from the same address", ip="10.0.0.9")
    # A third reader behind the same address meets the address's limit.
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(
            user=reader_verified(username="third"), room=room, text="hi", ip="10.0.0.9"
        )
    assert refused.value.status == 429
    assert "You can post again in" in refused.value.message


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "Write something"),
        ("   \n ", "Write something"),
        ("a\x00b", "invisible control characters"),
        ("abc \u202e txt.exe", "invisible control characters"),
        ("isolate \u2066 here", "invisible control characters"),
        ("x" * 1001, "at most 1000 characters"),
    ],
)
def test_refused_text(room, reader, text, words):
    with pytest.raises(ChatRefused) as refused:
        chat_message_post(user=reader, room=room, text=text)
    assert words in refused.value.message
    assert not ChatMessage.objects.exists()


def test_a_banned_phrase_holds_the_message_out_of_sight(room, reader, published):
    BannedPhraseFactory(phrase="miracle cure")
    message = chat_message_post(user=reader, room=room, text="Buy my Miracle Cure now")
    assert message.status == MessageStatus.HELD
    assert published == []
    room.refresh_from_db()
    assert room.last_activity_at is None


def test_replies_quote_a_visible_message_of_the_same_room(room, reader, other):
    first = ChatMessageFactory(room=room, author=other, text="Original")
    reply = chat_message_post(user=reader, room=room, text="Answer", reply_to=first)
    assert reply.reply_to == first
    gone = ChatMessageFactory(room=room, author=other, status=MessageStatus.DELETED)
    with pytest.raises(ChatRefused):
        chat_message_post(user=reader, room=room, text="late", reply_to=gone)
    elsewhere = ChatMessageFactory(author=other)
    with pytest.raises(ChatRefused):
        chat_message_post(user=reader, room=room, text="x", reply_to=elsewhere)


def test_own_messages_can_be_deleted_not_others(room, reader, other, published):
    mine = ChatMessageFactory(room=room, author=reader)
    theirs = ChatMessageFactory(room=room, author=other)
    with pytest.raises(ChatRefused):
        services.chat_message_delete(user=reader, message=theirs)
    services.chat_message_delete(user=reader, message=mine)
    mine.refresh_from_db()
    assert mine.status == MessageStatus.DELETED and mine.deleted_by == reader
    assert published == [(room.stream, "message.deleted", {"id": mine.pk})]
    assert not ModerationAction.objects.exists()


def test_moderator_delete_is_logged_and_pushed(room, reader, moderator, published):
    message = ChatMessageFactory(room=room, author=reader, text="Something nasty")
    services.chat_message_remove(moderator=moderator, message=message, reason="abuse")
    message.refresh_from_db()
    assert message.status == MessageStatus.DELETED and message.deleted_by == moderator
    assert published == [(room.stream, "message.deleted", {"id": message.pk})]
    entry = ModerationAction.objects.get()
    assert entry.action == ModerationActionKind.CHAT_DELETE
    assert (entry.moderator, entry.reader, entry.reason) == (moderator, reader, "abuse")
    assert "Something nasty" in entry.target and entry.target_url.endswith(
        f"/chats/world-news/#chat-msg-{message.pk}"
    )


def test_moderation_services_refuse_readers(room, reader, other):
    message = ChatMessageFactory(room=room, author=other)
    for call in (
        lambda: services.chat_message_remove(moderator=reader, message=message),
        lambda: services.chat_mute_set(moderator=reader, room=room, user=other, minutes=10),
        lambda: services.chat_room_slow_mode_set(moderator=reader, room=room, seconds=10),
        lambda: services.chat_room_status_set(moderator=reader, room=room, status="closed"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not ModerationAction.objects.exists()


def test_mute_slow_mode_and_status_are_logged_and_pushed(room, reader, moderator, published):
    mute = services.chat_mute_set(
        moderator=moderator, room=room, user=reader, minutes=60, reason="flooding"
    )
    assert mute.until > timezone.now() + timedelta(minutes=59)
    services.chat_room_slow_mode_set(moderator=moderator, room=room, seconds=30)
    services.chat_room_status_set(moderator=moderator, room=room, status=RoomStatus.CLOSED)
    services.chat_room_status_set(moderator=moderator, room=room, status=RoomStatus.ARCHIVED)
    services.chat_mute_set(moderator=moderator, room=room, user=reader, minutes=0)
    actions = list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        ModerationActionKind.CHAT_MUTE,
        ModerationActionKind.CHAT_SLOW,
        ModerationActionKind.CHAT_CLOSE,
        ModerationActionKind.CHAT_ARCHIVE,
        ModerationActionKind.CHAT_UNMUTE,
    ]
    mute_row = ModerationAction.objects.get(action=ModerationActionKind.CHAT_MUTE)
    assert mute_row.reader == reader and mute_row.until == mute.until
    assert [kind for _s, kind, _d in published] == ["room.updated"] * 3
    assert published[-1][2] == {"id": room.pk, "status": "archived", "slow_mode_seconds": 30}


def test_held_messages_approved_or_rejected(room, reader, moderator, published):
    held = ChatMessageFactory(room=room, author=reader, status=MessageStatus.HELD)
    services.chat_message_approve(moderator=moderator, message=held)
    assert held.status == MessageStatus.VISIBLE
    assert published[0][1] == "message.posted"
    other = ChatMessageFactory(room=room, author=reader, status=MessageStatus.HELD)
    services.chat_message_reject(moderator=moderator, message=other, reason="spam")
    other.refresh_from_db()
    assert other.status == MessageStatus.DELETED
    with pytest.raises(ChatRefused):
        services.chat_message_approve(moderator=moderator, message=other)
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        ModerationActionKind.CHAT_APPROVE,
        ModerationActionKind.CHAT_REJECT,
    ]


def test_events_are_stored_in_the_rooms_stream(room, reader, moderator):
    from broadsheet.realtime.models import Event

    message = chat_message_post(user=reader, room=room, text="Stored first")
    services.chat_message_remove(moderator=moderator, message=message)
    services.chat_room_status_set(moderator=moderator, room=room, status=RoomStatus.CLOSED)
    rows = list(Event.objects.filter(stream=f"chat-{room.pk}").order_by("id"))
    assert [row.kind for row in rows] == ["message.posted", "message.deleted", "room.updated"]
    assert rows[0].data["id"] == message.pk and "Stored first" in rows[0].data["html"]
    assert rows[1].data == {"id": message.pk}
    assert rows[2].data == {"id": room.pk, "status": "closed", "slow_mode_seconds": 0}


def test_a_message_deleted_twice_is_logged_once(room, reader, moderator, published):
    message = ChatMessageFactory(room=room, author=reader)
    services.chat_message_delete(user=reader, message=message)
    services.chat_message_remove(moderator=moderator, message=message)
    assert not ModerationAction.objects.exists()
    assert published == [(room.stream, "message.deleted", {"id": message.pk})]
    message.refresh_from_db()
    assert message.deleted_by == reader
