"""Rooms in the Wagtail admin: list, search, create, and edits that change
what readers see (status, slow mode) logged and pushed like the room page's."""

import pytest

from broadsheet.accounts.factories import UserFactory
from broadsheet.chats.factories import ChatRoomFactory
from broadsheet.chats.models import ChatRoom, RoomStatus
from broadsheet.discussions.models import ModerationAction, ModerationActionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


def test_rooms_are_listed_and_searched(client, home, admin_user, room):
    ChatRoomFactory(title="Election night", slug="election-night")
    client.force_login(admin_user)
    page = client.get("/admin/chat_rooms/").content.decode()
    assert "World news" in page and "Election night" in page
    page = client.get("/admin/chat_rooms/?q=election").content.decode()
    assert "Election night" in page and "World news" not in page


def test_a_room_created_in_the_admin_remembers_who(client, home, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/chat_rooms/new/",
        {
            "title": "Budget day",
            "slug": "budget-day",
            "topic": "",
            "status": "open",
            "slow_mode_seconds": "0",
            "language": "en",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ChatRoom.objects.get(slug="budget-day").created_by == admin_user


def test_an_admin_edit_of_status_is_logged_and_pushed(client, home, admin_user, room, published):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/chat_rooms/edit/{room.pk}/",
        {
            "title": room.title,
            "slug": room.slug,
            "topic": room.topic,
            "status": "closed",
            "slow_mode_seconds": "10",
            "language": "en",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    room.refresh_from_db()
    assert room.status == RoomStatus.CLOSED
    assert set(ModerationAction.objects.values_list("action", flat=True)) == {
        ModerationActionKind.CHAT_CLOSE,
        ModerationActionKind.CHAT_SLOW,
    }
    assert published == [
        (room.stream, "room.updated", {"id": room.pk, "status": "closed", "slow_mode_seconds": 10})
    ]


def test_moderators_see_the_desk_menu_readers_do_not_get_in(client, home, moderator, reader):
    client.force_login(moderator)
    assert client.get("/admin/chats/desk/").status_code == 200
    assert "/admin/chats/desk/" in client.get("/admin/").content.decode()


def test_the_newsrooms_groups_have_their_chat_permissions(db):
    from django.contrib.auth.models import Group

    def codenames(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="chats")
            .values_list("codename", flat=True)
        )

    assert codenames("Moderators") == {"moderate_chat", "add_chatroom", "change_chatroom"}
    assert codenames("Editors") == {"add_chatroom", "change_chatroom"}


def test_an_editor_opens_a_room_but_cannot_moderate(client, home):
    from broadsheet.discussions.factories import reader_verified

    editor = reader_verified(username="ed", is_staff=True, groups=["Editors"])
    client.force_login(editor)
    assert client.get("/admin/chat_rooms/new/").status_code == 200
    assert client.get("/admin/chats/desk/").status_code == 302
