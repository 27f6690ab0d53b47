from django import template

from broadsheet.chats.models import ChatRoom, RoomStatus

register = template.Library()


@register.simple_tag
def story_chat_room(story) -> ChatRoom | None:
    """The room beside a story (a live story's chat), for
    `chats/includes/room_box.html`: its newest room not archived, or None.
    The same for every reader, so story pages stay cacheable."""
    if story is None or not getattr(story, "pk", None):
        return None
    return (
        ChatRoom.objects.filter(story_id=story.pk)
        .exclude(status=RoomStatus.ARCHIVED)
        .order_by("-created_at", "-pk")
        .first()
    )
