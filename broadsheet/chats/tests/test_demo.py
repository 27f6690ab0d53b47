import pytest

from broadsheet.chats.demo import DEMO_LINES, chats_demo_build
from broadsheet.chats.models import ChatMessage, ChatRoom
from broadsheet.discussions.factories import reader_verified
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_demo_rooms_once(world):
    readers = [reader_verified(username=name) for name in ("a", "b", "c")]
    story = ArticlePageFactory(parent=world, title="Floods in the north")
    assert chats_demo_build(readers=readers, section=world, story=story) == 3
    rooms = {room.slug: room for room in ChatRoom.objects.all()}
    assert set(rooms) == {"world-news", f"section-{world.slug}", f"story-{story.pk}"}
    assert rooms[f"story-{story.pk}"].story == story
    assert rooms[f"section-{world.slug}"].section.pk == world.pk
    for room in rooms.values():
        assert room.messages.count() == len(DEMO_LINES)
        assert room.last_activity_at == room.messages.latest("created_at").created_at
    assert ChatMessage.objects.exclude(reply_to=None).exists()
    assert chats_demo_build(readers=readers, section=world, story=story) == 0
    assert ChatMessage.objects.count() == 3 * len(DEMO_LINES)
