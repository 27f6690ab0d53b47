"""The chat pages and their POST actions, as readers and moderators use them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.chats.factories import ChatMessageFactory, ChatMuteFactory, ChatRoomFactory
from broadsheet.chats.models import ChatMessage, MessageStatus, RoomStatus
from broadsheet.chats.selectors import HISTORY_PAGE
from broadsheet.discussions.factories import BannedPhraseFactory
from broadsheet.discussions.models import ModerationAction, ModerationActionKind, ReaderStanding
from broadsheet.realtime.models import Presence

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def test_the_header_links_to_the_chats_and_the_list_shows_rooms(client, home, room, reader):
    ChatRoomFactory(title="Old times", slug="old-times", status=RoomStatus.ARCHIVED)
    ChatMessageFactory(room=room, author=reader)
    room.last_activity_at = timezone.now() - timedelta(minutes=5)
    room.save()
    # Readers connected to the room's stream, in two server processes.
    for process, count in (("a", 200), ("b", 14)):
        Presence.objects.create(
            process=process, stream=room.stream, count=count, seen_at=timezone.now()
        )
    page = client.get("/chats/").content.decode()
    assert 'href="/chats/"' in page
    assert "World news" in page and "The world, live" in page
    assert "214 here" in page
    assert "Last message 5\xa0minutes ago" in page
    current, archive = page.split("Archive</h2>")
    assert "Old times" in archive and "Old times" not in current
    assert client.get("/ru/chats/").status_code == 200


def test_anonymous_readers_read_and_are_asked_to_log_in(client, home, room, reader):
    ChatMessageFactory(room=room, author=reader, text="Visible to all")
    response = client.get("/chats/world-news/")
    page = response.content.decode()
    assert "Visible to all" in page
    assert f'data-live-stream="chat-{room.pk}"' in page
    assert "data-chat-login" in page and "/accounts/login/?next=/chats/world-news/" in page
    assert "<textarea" not in page and "csrfmiddlewaretoken" not in page
    assert client.get("/ru/chats/world-news/").status_code == 200
    assert client.get("/chats/nowhere/").status_code == 404


def test_unverified_readers_are_asked_to_verify(client, home, room, unverified):
    client.force_login(unverified)
    page = client.get("/chats/world-news/").content.decode()
    assert "Confirm your email address" in page and "Verify your e-mail" in page
    assert "<textarea" not in page


@pytest.mark.parametrize("banned", [False, True])
def test_sanctioned_readers_see_why_instead_of_the_form(client, home, room, reader, banned):
    ReaderStanding.objects.create(
        user=reader, banned=banned, suspended_until=timezone.now() + timedelta(days=2)
    )
    client.force_login(reader)
    page = client.get("/chats/world-news/").content.decode()
    assert "<textarea" not in page
    assert ("banned from the discussions" if banned else "suspended from commenting") in page
    response = client.post("/chats/world-news/post/", {"text": "hi"})
    assert response.status_code == 403
    assert not ChatMessage.objects.exists()


def test_muted_readers_see_until_when(client, home, room, reader):
    ChatMuteFactory(room=room, user=reader, until=timezone.now() + timedelta(hours=1))
    client.force_login(reader)
    page = client.get("/chats/world-news/").content.decode()
    assert "muted you in this room until" in page and "<textarea" not in page


def test_a_closed_room_keeps_its_history_and_hides_the_form(client, home, room, reader):
    ChatMessageFactory(room=room, author=reader, text="Before closing")
    room.status = RoomStatus.CLOSED
    room.save()
    client.force_login(reader)
    page = client.get("/chats/world-news/").content.decode()
    assert "Before closing" in page and "This chat is closed." in page
    assert re.search(r"<form[^>]*data-chat-form hidden", page)
    response = client.post("/chats/world-news/post/", {"text": "hi"}, **JSON)
    assert response.status_code == 403 and response.json()["error"] == "This chat is closed."


def test_posting_without_javascript_redirects_to_the_message(client, home, room, reader):
    client.force_login(reader)
    response = client.get("/chats/world-news/")
    assert response["Cache-Control"] == "private, no-store"
    response = client.post("/chats/world-news/post/", {"text": "Hello there"})
    message = ChatMessage.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/chats/world-news/#chat-msg-{message.pk}"
    page = client.get("/chats/world-news/").content.decode()
    assert "Hello there" in page
    assert f'action="/chats/message/{message.pk}/delete/"' in page  # own: Delete


def test_posting_with_javascript_answers_json_and_refusals_keep_the_text(
    client, home, room, reader
):
    client.force_login(reader)
    response = client.post("/chats/world-news/post/", {"text": "First"}, **JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "visible" and "First" in body["html"]
    response = client.post("/chats/world-news/post/", {"text": "Second"}, **JSON)
    assert response.status_code == 429
    assert re.fullmatch(r"You can post again in \d seconds?\.", response.json()["error"])
    response = client.post("/chats/world-news/post/", {"text": "Second"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "You can post again in" in page and ">Second</textarea>" in page


def test_hostile_text_is_escaped_and_links_are_nofollow(client, home, room, reader):
    client.force_login(reader)
    text = (
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> javascript:alert(3) '
        "https://example.org/a?b=1&c=2 and \"quoted\" 'x'"
    )
    client.post("/chats/world-news/post/", {"text": text})
    page = client.get("/chats/world-news/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>"
    ) in page


def test_bidi_and_nul_are_refused_with_a_message(client, home, room, reader):
    client.force_login(reader)
    for text in ("abc\u202edef", "a\x00b"):
        response = client.post("/chats/world-news/post/", {"text": text}, **JSON)
        assert response.status_code == 422
        assert "invisible control characters" in response.json()["error"]
    assert not ChatMessage.objects.exists()


def test_held_messages_are_seen_by_their_author_and_moderators_only(
    client, home, room, reader, other, moderator
):
    BannedPhraseFactory(phrase="scam")
    client.force_login(reader)
    body = client.post("/chats/world-news/post/", {"text": "total scam"}, **JSON).json()
    assert body["status"] == "held" and "Awaiting moderation" in body["html"]
    assert "total scam" in client.get("/chats/world-news/").content.decode()
    client.force_login(other)
    assert "total scam" not in client.get("/chats/world-news/").content.decode()
    client.logout()
    assert "total scam" not in client.get("/chats/world-news/").content.decode()
    client.force_login(moderator)
    page = client.get("/chats/world-news/").content.decode()
    assert "total scam" in page and f"/chats/message/{body['id']}/approve/" in page
    desk = client.get("/admin/chats/desk/").content.decode()
    assert "total scam" in desk
    response = client.post(f"/chats/message/{body['id']}/approve/", {"next": "admin"})
    assert response.status_code == 303 and response["Location"] == "/admin/chats/desk/"
    client.logout()
    assert "total scam" in client.get("/chats/world-news/").content.decode()


def test_a_reply_shows_a_quote(client, home, room, reader, other):
    first = ChatMessageFactory(room=room, author=other, text="What time is the vote?")
    client.force_login(reader)
    page = client.get(f"/chats/world-news/?reply={first.pk}").content.decode()
    assert f'name="reply_to" value="{first.pk}"' in page
    client.post("/chats/world-news/post/", {"text": "At ten.", "reply_to": first.pk})
    reply = ChatMessage.objects.get(text="At ten.")
    assert reply.reply_to == first
    page = client.get("/chats/world-news/").content.decode()
    quote = re.search(
        rf'id="chat-msg-{reply.pk}".*?<blockquote class="chat-msg__quote">(.*?)</blockquote>',
        page,
        re.S,
    ).group(1)
    assert "Otto Other" in quote and "What time is the vote?" in quote
    first.status = MessageStatus.DELETED
    first.save()
    assert "Message deleted" in client.get("/chats/world-news/").content.decode()
    response = client.post("/chats/world-news/post/", {"text": "x", "reply_to": "99999"})
    assert response.status_code == 422


def test_own_delete_and_others_refused(client, home, room, reader, other, published):
    mine = ChatMessageFactory(room=room, author=reader)
    theirs = ChatMessageFactory(room=room, author=other)
    client.force_login(reader)
    page = client.get("/chats/world-news/").content.decode()
    assert f"/chats/message/{mine.pk}/delete/" in page
    assert f"/chats/message/{theirs.pk}/delete/" not in page
    response = client.post(f"/chats/message/{theirs.pk}/delete/", **JSON)
    assert response.status_code == 403
    response = client.post(f"/chats/message/{mine.pk}/delete/", **JSON)
    assert response.json() == {"id": mine.pk, "status": "deleted"}
    assert published == [(room.stream, "message.deleted", {"id": mine.pk})]
    for action in ("approve", "reject", "mute"):
        assert client.post(f"/chats/message/{theirs.pk}/{action}/").status_code == 403
    assert client.post("/chats/world-news/moderate/", {"status": "closed"}).status_code == 403
    assert client.post(f"/chats/message/{theirs.pk}/explode/").status_code == 404
    client.logout()
    assert client.post(f"/chats/message/{theirs.pk}/delete/").status_code == 403
    assert client.get("/admin/chats/desk/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == MessageStatus.VISIBLE


def test_readers_cannot_open_the_admin_desk(client, home, reader):
    client.force_login(reader)
    response = client.get("/admin/chats/desk/")
    assert response.status_code in (302, 403)


def test_moderators_act_from_the_room_page(client, home, room, reader, moderator, published):
    message = ChatMessageFactory(room=room, author=reader, text="Rude words")
    client.force_login(moderator)
    page = client.get("/chats/world-news/").content.decode()
    assert "Moderate this room" in page and f"/chats/message/{message.pk}/mute/" in page
    response = client.post(f"/chats/message/{message.pk}/delete/", {"reason": "rude"})
    assert response.status_code == 303
    response = client.post(f"/chats/message/{message.pk}/mute/", {"minutes": "60"})
    assert response.status_code == 303
    assert client.post(f"/chats/message/{message.pk}/mute/", {"minutes": "7"}).status_code == 422
    client.post("/chats/world-news/moderate/", {"slow_mode_seconds": "30"})
    client.post("/chats/world-news/moderate/", {"status": "closed", "reason": "night"})
    assert client.post("/chats/world-news/moderate/", {"status": "gone"}).status_code == 400
    room.refresh_from_db()
    assert (room.status, room.slow_mode_seconds) == (RoomStatus.CLOSED, 30)
    assert room.mutes.get().user == reader
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        ModerationActionKind.CHAT_DELETE,
        ModerationActionKind.CHAT_MUTE,
        ModerationActionKind.CHAT_SLOW,
        ModerationActionKind.CHAT_CLOSE,
    ]
    assert [(stream, kind) for stream, kind, _data in published] == [
        (f"chat-{room.pk}", "message.deleted"),
        (f"chat-{room.pk}", "room.updated"),
        (f"chat-{room.pk}", "room.updated"),
    ]
    audit = client.get("/admin/discussions/audit/").content.decode()
    assert "Chat message deleted" in audit and "Rude words" in audit
    assert f'href="/chats/world-news/#chat-msg-{message.pk}"' in audit
    assert "Muted in a chat" in audit and "Chat room closed" in audit


def test_history_pages_by_keyset(client, home, room, reader):
    messages = [
        ChatMessageFactory(room=room, author=reader, text=f"message number {n:03d}")
        for n in range(HISTORY_PAGE + 5)
    ]
    page = client.get("/chats/world-news/").content.decode()
    assert "message number 004" not in page and "message number 005" in page
    assert page.index("message number 005") < page.index(f"message number {HISTORY_PAGE + 4:03d}")
    earlier = messages[5].pk
    assert f"?before={earlier}" in page
    fragment = client.get(
        f"/chats/world-news/?before={earlier}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment
    assert "message number 000" in fragment and "message number 004" in fragment
    assert "message number 005" not in fragment and "?before=" not in fragment
    full = client.get(f"/chats/world-news/?before={earlier}").content.decode()
    assert "message number 000" in full and "<html" in full
    assert client.get("/chats/world-news/?before=abc").status_code == 400
    assert client.get("/chats/world-news/?before=-1").status_code == 400


def test_the_story_box_is_the_same_for_everyone(client, home, room, reader):
    ChatMessageFactory(room=room, author=reader, text="Box message")
    client.force_login(reader)
    response = client.get("/chats/world-news/?box=1")
    html = response.content.decode()
    assert "Box message" in html and "<form" not in html and "csrf" not in html
    # A signed-in request never goes through a shared cache (edge/policy.py);
    # the same box for an anonymous reader is public.
    assert "private" in response["Cache-Control"]
    client.logout()
    anonymous = client.get("/chats/world-news/?box=1")
    assert anonymous.content.decode() == html
    assert "public" in anonymous["Cache-Control"]


def test_the_room_box_include_carries_nothing_per_reader(room):
    from django.template.loader import render_to_string

    html = render_to_string("chats/includes/room_box.html", {"room": room})
    assert f'data-live-stream="chat-{room.pk}"' in html
    assert 'hx-get="/chats/world-news/?box=1"' in html and "/static/js/chats.js" in html
    assert "csrf" not in html and "<form" not in html
    assert render_to_string("chats/includes/room_box.html", {"room": None}).strip() == ""


def test_a_readers_data_download_has_their_chat_messages(client, home, room, reader, other):
    ChatMessageFactory(room=room, author=reader, text="Mine, in the export")
    ChatMessageFactory(room=room, author=other, text="Not mine")
    client.force_login(reader)
    data = client.get("/readers/account/data.json").json()
    assert [m["text"] for m in data["chat_messages"]] == ["Mine, in the export"]
    assert data["chat_messages"][0]["room_url"] == "/chats/world-news/"


def test_a_storys_room_is_found_for_its_box(world):
    from django.template import Context, Template

    from broadsheet.news.factories import ArticlePageFactory

    story = ArticlePageFactory(parent=world, title="Election night")
    template = Template(
        "{% load chats %}{% story_chat_room story as room %}"
        '{% include "chats/includes/room_box.html" %}'
    )
    assert "chat-box" not in template.render(Context({"story": story}))
    ChatRoomFactory(title="Old", slug="old", story=story, status=RoomStatus.ARCHIVED)
    room = ChatRoomFactory(title="Election chat", slug="election-chat", story=story)
    html = template.render(Context({"story": story}))
    assert f'data-live-stream="chat-{room.pk}"' in html and "Election chat" in html


def test_an_earlier_page_without_javascript_is_not_live(client, home, room, reader):
    first = ChatMessageFactory(room=room, author=reader)
    page = client.get(f"/chats/world-news/?before={first.pk + 1}").content.decode()
    # (The breaking-news banner every page has follows its own stream.)
    assert 'data-live-stream="chat-' not in page and "Back to the latest messages" in page
