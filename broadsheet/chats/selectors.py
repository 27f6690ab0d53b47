"""Reads for chats: the room list with presence, and a room's history by
keyset on the message id (newest last on the page, like any chat)."""

from dataclasses import dataclass

from django.db.models import F, Q

from broadsheet.realtime.selectors import presence_counts

from .models import ChatMessage, ChatRoom, MessageStatus, RoomStatus

HISTORY_PAGE = 50


def rooms_listed(*, language: str) -> tuple[list[ChatRoom], list[ChatRoom]]:
    """The edition's (open and closed rooms, archived rooms), each room with
    `.here`: the readers connected to its stream now."""
    rooms = list(
        ChatRoom.objects.filter(language=language)
        .select_related("section", "story")
        .order_by(F("last_activity_at").desc(nulls_last=True), "-created_at", "-pk")
    )
    counts = presence_counts(streams=[room.stream for room in rooms]) if rooms else {}
    for room in rooms:
        room.here = counts.get(room.stream, 0)
    current = [r for r in rooms if r.status != RoomStatus.ARCHIVED]
    archived = [r for r in rooms if r.status == RoomStatus.ARCHIVED]
    return current, archived


def room_presence(room: ChatRoom) -> int:
    return presence_counts(streams=[room.stream]).get(room.stream, 0)


@dataclass
class History:
    messages: list[ChatMessage]  # oldest first
    earlier: int | None  # the `before` id of the page above, None at the start


def room_history(
    *,
    room: ChatRoom,
    before: int | None = None,
    viewer=None,
    moderator: bool = False,
    limit: int = HISTORY_PAGE,
) -> History:
    """The `limit` messages before `before` (or the newest): visible
    ones, plus the viewer's own held messages (or every held one for a
    moderator). One query on `chat_message_history_idx`; one more row tells
    whether there is an earlier page."""
    shown = Q(status=MessageStatus.VISIBLE)
    if moderator:
        shown |= Q(status=MessageStatus.HELD)
    elif viewer is not None and viewer.is_authenticated:
        shown |= Q(status=MessageStatus.HELD, author=viewer)
    rows = ChatMessage.objects.filter(shown, room=room)
    if before is not None:
        rows = rows.filter(pk__lt=before)
    rows = list(
        rows.select_related("author", "reply_to", "reply_to__author").order_by("-pk")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    rows.reverse()
    return History(messages=rows, earlier=rows[0].pk if more and rows else None)


def held_messages():
    return (
        ChatMessage.objects.filter(status=MessageStatus.HELD)
        .select_related("room", "author")
        .order_by("pk")
    )


def chat_messages_for_export(*, user) -> list[dict]:
    """Everything a reader wrote in the chats, for "download my data"."""
    return [
        {
            "id": message.pk,
            "room": message.room.title,
            "room_url": message.room.get_absolute_url(),
            "text": message.text,
            "status": message.status,
            "reply_to_id": message.reply_to_id,
            "created_at": message.created_at.isoformat(),
        }
        for message in ChatMessage.objects.filter(author=user)
        .select_related("room")
        .order_by("created_at", "id")
    ]
