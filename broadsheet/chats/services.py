"""Writes for chats. A refusal is a `ChatRefused` (the discussions'
`CommentRefused`: the sentence the reader sees and an HTTP status).

Posting follows the discussions' rules where they apply (verified e-mail,
the same standing and its same words, NUL/bidi refused, banned phrases
hold), plus the room's own: open, the reader not muted, slow mode. Every
moderator action writes a row of the discussions' audit log
(`ModerationAction`, with `target`/`target_url` naming the message or room).
"""

import math
import time
from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from broadsheet.core.reader_text import text_has_hidden_controls, text_normalised
from broadsheet.discussions.models import ModerationAction, ModerationActionKind, ReaderStanding
from broadsheet.discussions.services import (
    CommentRefused,
    banned_phrase_found,
    standing_sanction,
)

from . import events
from .models import (
    MESSAGE_MAX_LENGTH,
    ChatMessage,
    ChatMute,
    ChatRoom,
    MessageStatus,
    RoomStatus,
)

# Rate limits beside slow mode (which is per room and set by moderators).
# Per reader: a message per READER_INTERVAL s and READER_PER_MINUTE a minute.
# Per IP address looser, since readers share addresses (offices, mobile NAT).
READER_INTERVAL_SECONDS = 2
READER_PER_MINUTE = 20
IP_PER_MINUTE = 60
WINDOW_SECONDS = 60
MUTE_MINUTES = [10, 60, 24 * 60]
SLOW_MODE_CHOICES = [0, 10, 30, 60, 300]
HOLD_BANNED_PHRASE = "banned phrase"


class ChatRefused(CommentRefused):
    pass


def mute_choices() -> list[tuple[int, str]]:
    return [(10, _("10 minutes")), (60, _("1 hour")), (24 * 60, _("24 hours"))]


def _wait_message(wait: float) -> ChatRefused:
    seconds = max(1, math.ceil(wait))
    return ChatRefused(
        ngettext(
            "You can post again in %(seconds)d second.",
            "You can post again in %(seconds)d seconds.",
            seconds,
        )
        % {"seconds": seconds},
        status=429,
    )


# -------------------------------------------------------------- checks


def reader_refusal(user) -> ChatRefused | None:
    """Why this reader may not post in any room, or None. The room page shows
    the same sentence in place of the form."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated:
        return ChatRefused(_("To chat, log in or register."), status=403)
    if not user.is_active:
        return ChatRefused(_("This account cannot take part in discussions."), status=403)
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return ChatRefused(
            _("Confirm your email address before taking part: follow the link we sent you."),
            status=403,
        )
    sanction = standing_sanction(ReaderStanding.objects.filter(user=user).first())
    if sanction is not None:
        return ChatRefused(sanction[1], status=403)
    return None


def mute_active(*, room: ChatRoom, user) -> ChatMute | None:
    if user is None or not user.is_authenticated:
        return None
    return ChatMute.objects.filter(room=room, user=user, until__gt=timezone.now()).first()


def mute_message(mute: ChatMute) -> str:
    until = date_format(timezone.localtime(mute.until), "DATETIME_FORMAT")
    return _("A moderator has muted you in this room until %(until)s.") % {"until": until}


def room_refusal(room: ChatRoom) -> ChatRefused | None:
    if room.status == RoomStatus.OPEN:
        return None
    if room.status == RoomStatus.ARCHIVED:
        return ChatRefused(_("This chat is archived: you can read it but not post."), status=403)
    return ChatRefused(_("This chat is closed."), status=403)


def message_text_clean(text: str) -> str:
    text = text_normalised(text)
    if not text:
        raise ChatRefused(_("Write something before sending."))
    if text_has_hidden_controls(text):
        raise ChatRefused(
            _(
                "Your message contains invisible control characters that can change how "
                "text is displayed (such as right-to-left overrides). Remove them and try again."
            )
        )
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ChatRefused(
            _("Messages can be at most %(max)d characters long; yours has %(len)d.")
            % {"max": MESSAGE_MAX_LENGTH, "len": len(text)}
        )
    return text


def _slow_mode_check(*, room: ChatRoom, user) -> None:
    if not room.slow_mode_seconds:
        return
    last = (
        ChatMessage.objects.filter(room=room, author=user)
        .exclude(status=MessageStatus.DELETED)
        .order_by("-id")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return
    wait = room.slow_mode_seconds - (timezone.now() - last).total_seconds()
    if wait > 0:
        raise _wait_message(wait)


def _rate_limit_check(*, user, ip) -> dict[str, list[float]]:
    """Stamps in Django's cache (Redis in production: every process shares
    them), as the discussions keep theirs; returned for `_rate_limit_record`."""
    now = time.time()
    limits = [(f"chats:rate:user:{user.pk}", READER_INTERVAL_SECONDS, READER_PER_MINUTE)]
    if ip:
        limits.append((f"chats:rate:ip:{ip}", 0, IP_PER_MINUTE))
    wait, stamps = 0.0, {}
    for key, interval, most in limits:
        recent = [t for t in cache.get(key, []) if now - t < WINDOW_SECONDS]
        stamps[key] = (recent, most)
        if recent and now - recent[-1] < interval:
            wait = max(wait, interval - (now - recent[-1]))
        if len(recent) >= most:
            wait = max(wait, WINDOW_SECONDS - (now - recent[-most]))
    if wait > 0:
        raise _wait_message(wait)
    return stamps


def _rate_limit_record(stamps) -> None:
    now = time.time()
    for key, (recent, most) in stamps.items():
        cache.set(key, [*recent, now][-most:], timeout=WINDOW_SECONDS)


# -------------------------------------------------------------- readers


def chat_message_post(
    *, user, room: ChatRoom, text: str, reply_to: ChatMessage | None = None, ip=None
) -> ChatMessage:
    refusal = reader_refusal(user) or room_refusal(room)
    if refusal is not None:
        raise refusal
    mute = mute_active(room=room, user=user)
    if mute is not None:
        raise ChatRefused(mute_message(mute), status=403)
    text = message_text_clean(text)
    if reply_to is not None and (reply_to.room_id != room.pk or not reply_to.is_visible):
        raise ChatRefused(_("This message can no longer be replied to."))
    _slow_mode_check(room=room, user=user)
    stamps = _rate_limit_check(user=user, ip=ip)
    held = banned_phrase_found(text)
    message = ChatMessage.objects.create(
        room=room,
        author=user,
        text=text,
        reply_to=reply_to,
        status=MessageStatus.HELD if held else MessageStatus.VISIBLE,
        hold_reason=HOLD_BANNED_PHRASE if held else "",
        ip_address=ip or None,
    )
    _rate_limit_record(stamps)
    if message.is_visible:
        _activity(room, message.created_at)
        events.message_posted(message)
    return message


def _activity(room: ChatRoom, when) -> None:
    ChatRoom.objects.filter(pk=room.pk).update(last_activity_at=when)
    room.last_activity_at = when


def chat_message_delete(*, user, message: ChatMessage) -> ChatMessage:
    """A reader takes their own message down (banned or muted readers too)."""
    if user is None or not user.is_authenticated or message.author_id != user.pk:
        raise ChatRefused(_("You can only delete your own messages."), status=403)
    _delete(message, by=user)
    return message


def _delete(message: ChatMessage, *, by) -> bool:
    """Whether the message was taken down now (False: it already was)."""
    if message.status == MessageStatus.DELETED:
        return False
    message.status = MessageStatus.DELETED
    message.deleted_by = by
    message.save(update_fields=["status", "deleted_by"])
    # Held messages too: their author's open page shows them. The event says
    # no more than the id.
    events.message_deleted(message)
    return True


# -------------------------------------------------------------- moderators


def user_can_moderate_chats(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("chats.moderate_chat"))


def _moderator_check(moderator) -> None:
    if not user_can_moderate_chats(moderator):
        raise PermissionDenied


def _message_target(message: ChatMessage) -> tuple[str, str]:
    excerpt = message.text if len(message.text) <= 120 else message.text[:119] + "…"
    return (
        f"#{message.pk} in {message.room.title}: {excerpt}",
        message.room.get_absolute_url() + f"#chat-msg-{message.pk}",
    )


def _log(*, moderator, action, target, reader=None, reason="", until=None) -> ModerationAction:
    text, url = target
    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        reader=reader,
        reason=(reason or "").strip(),
        until=until,
        target=text[:300],
        target_url=url[:300],
    )


def chat_message_remove(*, moderator, message: ChatMessage, reason: str = "") -> ChatMessage:
    """Delete any message: gone from every open page at once."""
    _moderator_check(moderator)
    if not _delete(message, by=moderator):
        return message  # gone already (its author, another moderator): nothing to log
    _log(
        moderator=moderator,
        action=ModerationActionKind.CHAT_DELETE,
        target=_message_target(message),
        reader=message.author,
        reason=reason,
    )
    return message


def chat_message_approve(*, moderator, message: ChatMessage) -> ChatMessage:
    _moderator_check(moderator)
    if message.status != MessageStatus.HELD:
        raise ChatRefused(_("This message is not waiting for moderation."))
    message.status = MessageStatus.VISIBLE
    message.hold_reason = ""
    message.save(update_fields=["status", "hold_reason"])
    _activity(message.room, timezone.now())
    events.message_posted(message)
    _log(
        moderator=moderator,
        action=ModerationActionKind.CHAT_APPROVE,
        target=_message_target(message),
        reader=message.author,
    )
    return message


def chat_message_reject(*, moderator, message: ChatMessage, reason: str = "") -> ChatMessage:
    _moderator_check(moderator)
    if message.status != MessageStatus.HELD:
        raise ChatRefused(_("This message is not waiting for moderation."))
    message.status = MessageStatus.DELETED
    message.deleted_by = moderator
    message.save(update_fields=["status", "deleted_by"])
    # Never public, but its author's open page shows it: take it off there.
    events.message_deleted(message)
    _log(
        moderator=moderator,
        action=ModerationActionKind.CHAT_REJECT,
        target=_message_target(message),
        reader=message.author,
        reason=reason,
    )
    return message


def _room_target(room: ChatRoom) -> tuple[str, str]:
    return (str(_("Chat room “%(title)s”") % {"title": room.title}), room.get_absolute_url())


def chat_mute_set(
    *, moderator, room: ChatRoom, user, minutes: int, reason: str = ""
) -> ChatMute | None:
    """Mute a reader in a room for `minutes` (0: lift the mute)."""
    _moderator_check(moderator)
    if user.pk == moderator.pk:
        raise ChatRefused(_("You cannot mute yourself."))
    if minutes <= 0:
        ChatMute.objects.filter(room=room, user=user).delete()
        _log(
            moderator=moderator,
            action=ModerationActionKind.CHAT_UNMUTE,
            target=_room_target(room),
            reader=user,
            reason=reason,
        )
        return None
    until = timezone.now() + timedelta(minutes=minutes)
    mute, _created = ChatMute.objects.update_or_create(
        room=room, user=user, defaults={"until": until, "by": moderator, "reason": reason[:500]}
    )
    _log(
        moderator=moderator,
        action=ModerationActionKind.CHAT_MUTE,
        target=_room_target(room),
        reader=user,
        reason=reason,
        until=until,
    )
    return mute


def chat_room_slow_mode_set(*, moderator, room: ChatRoom, seconds: int) -> ChatRoom:
    _moderator_check(moderator)
    if seconds < 0 or seconds > 3600:
        raise ChatRefused(_("Slow mode is between 0 and 3,600 seconds."))
    room.slow_mode_seconds = seconds
    room.save(update_fields=["slow_mode_seconds"])
    events.room_updated(room)
    _log(
        moderator=moderator,
        action=ModerationActionKind.CHAT_SLOW,
        target=_room_target(room),
        reason=ngettext("One message per %(n)d second", "One message per %(n)d seconds", seconds)
        % {"n": seconds}
        if seconds
        else _("Off"),
    )
    return room


_STATUS_ACTIONS = {
    RoomStatus.OPEN: ModerationActionKind.CHAT_OPEN,
    RoomStatus.CLOSED: ModerationActionKind.CHAT_CLOSE,
    RoomStatus.ARCHIVED: ModerationActionKind.CHAT_ARCHIVE,
}


def chat_room_status_set(*, moderator, room: ChatRoom, status: str, reason: str = "") -> ChatRoom:
    _moderator_check(moderator)
    if status not in _STATUS_ACTIONS:
        raise ChatRefused(_("Unknown room status."))
    room.status = status
    room.save(update_fields=["status"])
    events.room_updated(room)
    _log(
        moderator=moderator,
        action=_STATUS_ACTIONS[status],
        target=_room_target(room),
        reason=reason,
    )
    return room


def chat_room_create(*, created_by, **fields) -> ChatRoom:
    """For the demo and tests; the admin creates rooms through its own form."""
    return ChatRoom.objects.create(created_by=created_by, **fields)


def chat_room_admin_saved(*, editor, room: ChatRoom, before: dict) -> None:
    """After the admin's edit form saved a room: tell open pages and log a
    changed status or slow mode, as the room page's buttons do."""
    changed = False
    if before["status"] != room.status:
        changed = True
        _log(moderator=editor, action=_STATUS_ACTIONS[room.status], target=_room_target(room))
    if before["slow_mode_seconds"] != room.slow_mode_seconds:
        changed = True
        _log(
            moderator=editor,
            action=ModerationActionKind.CHAT_SLOW,
            target=_room_target(room),
            reason=str(room.slow_mode_seconds),
        )
    if changed:
        events.room_updated(room)
