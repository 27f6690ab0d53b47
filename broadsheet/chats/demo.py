"""The demo's chats: a World news room, one for a big section and one for
the newest story, each with ~20 messages from the demo readers (made once:
a second run adds nothing)."""

from datetime import timedelta

from django.utils import timezone

from broadsheet.accounts.models import User

from .factories import ChatMessageFactory, ChatRoomFactory
from .models import ChatRoom

DEMO_LINES = [
    "Morning all. Anyone following the harbour vote?",
    "Yes, the council sits again at ten.",
    "The live figures are on the statistics office site: https://example.org/stats",
    "That map in the story is really useful.",
    "Does anyone know if the trains are running again?",
    "Partly. The northern line is still closed.",
    "Thanks! That's my line, sadly.",
    "Interesting analysis of the trade numbers today.",
    "I disagree with the columnist, but it's well argued.",
    "Any word from the correspondents on the ground?",
    "The last update said the talks resume tomorrow.",
    "Good. Fingers crossed.",
    "Weather looks rough for the weekend match.",
    "It was moved to Sunday, see the sport section.",
    "Ah, missed that. Cheers.",
    "Welcome to the newcomers!",
    "Is the full text of the report published anywhere?",
    "Linked at the bottom of the story.",
    "Found it, thank you.",
    "Back later, keep the news coming.",
]


def chats_demo_build(*, readers: list[User], section=None, story=None) -> int:
    """The demo rooms and their messages; returns the number of rooms made."""
    if ChatRoom.objects.exists() or not readers:
        return 0
    specs = [("World news", "world-news", "What is happening around the world, as it happens.")]
    if section is not None:
        specs.append((section.title, f"section-{section.slug}", f"Everything in {section.title}."))
    if story is not None:
        specs.append((story.title[:120], f"story-{story.pk}", "Talk about this story."))
    now = timezone.now()
    for n, (title, slug, topic) in enumerate(specs):
        room = ChatRoomFactory(
            title=title,
            slug=slug,
            topic=topic,
            section=section if slug.startswith("section-") else None,
            story=story if slug.startswith("story-") else None,
        )
        previous = None
        start = now - timedelta(minutes=90 + 30 * n)
        for k, line in enumerate(DEMO_LINES):
            previous = ChatMessageFactory(
                room=room,
                author=readers[(k + n) % len(readers)],
                text=line,
                reply_to=previous if k % 7 == 1 else None,
                created_at=start + timedelta(minutes=4 * k),
            )
        room.last_activity_at = previous.created_at
        room.save(update_fields=["last_activity_at"])
    return len(specs)


def chats_edition_demo_build(
    *, title: str, slug: str, topic: str, lines, readers: list[User], section=None, story=None
) -> int:
    """An edition's room (editions/demo.py), in its language: ChatRoom has no
    language of its own, so the room belongs to the edition through its
    section (and the live story beside which it opens). 1 if made, else 0."""
    if ChatRoom.objects.filter(slug=slug).exists() or not readers:
        return 0
    room = ChatRoomFactory(title=title, slug=slug, topic=topic, section=section, story=story)
    start = timezone.now() - timedelta(minutes=75)
    previous = None
    for k, line in enumerate(lines):
        previous = ChatMessageFactory(
            room=room,
            author=readers[k % len(readers)],
            text=line,
            reply_to=previous if k % 7 == 1 else None,
            created_at=start + timedelta(minutes=5 * k),
        )
    if previous is not None:
        room.last_activity_at = previous.created_at
        room.save(update_fields=["last_activity_at"])
    return 1
