"""What the chats tell open pages through the realtime layer (stream
`chat-<room id>`). Every event is public and the same for every reader:
a message's HTML is rendered once, without per-reader buttons (chats.js adds
those from templates the room page carries), and in the site's default
language, since it holds no interface words a reader's language would change
except the "deleted message" quote.

Called inside the transaction of the change: the event row commits or rolls
back with it, and the push happens after commit (the realtime contract)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from broadsheet.realtime.services import event_publish

from .models import ChatMessage, ChatRoom


def message_html(message: ChatMessage) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("chats/includes/message.html", {"m": message, "live": True})


def message_posted(message: ChatMessage):
    return event_publish(
        stream=message.room.stream,
        kind="message.posted",
        data={"id": message.pk, "author": message.author_id, "html": message_html(message)},
    )


def message_deleted(message: ChatMessage):
    return event_publish(
        stream=message.room.stream, kind="message.deleted", data={"id": message.pk}
    )


def room_updated(room: ChatRoom):
    return event_publish(
        stream=room.stream,
        kind="room.updated",
        data={"id": room.pk, "status": room.status, "slow_mode_seconds": room.slow_mode_seconds},
    )
