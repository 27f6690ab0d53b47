"""Chats, discussions, newsletters and the media bank per edition."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from broadsheet.chats.factories import ChatRoomFactory
from broadsheet.discussions.factories import reader_verified
from broadsheet.discussions.services import comment_post
from broadsheet.editions.tests.fixtures_listings import *  # noqa: F403
from broadsheet.mailings.services import digest_stories
from broadsheet.subscriptions.factories import NewsletterListFactory


@pytest.fixture
def pair(newsroom_ru):
    source = newsroom_ru.story("en", "Harbour reopens")
    return newsroom_ru, source, newsroom_ru.translate(source, "ru", "Гавань открылась")


def test_chat_rooms_belong_to_an_edition(client, pair):
    newsroom, source, copy = pair
    ChatRoomFactory(title="Harbour talk", slug="harbour-talk")
    ChatRoomFactory(title="Разговор о гавани", slug="gavan", language="ru", story=copy)
    assert "Harbour talk" in client.get("/chats/").content.decode()
    assert "Разговор о гавани" not in client.get("/chats/").content.decode()
    russian = client.get("/ru/chats/").content.decode()
    assert "Разговор о гавани" in russian and "Harbour talk" not in russian
    # A room is read in its edition: the other prefix sends the reader there.
    response = client.get("/chats/gavan/?before=5")
    assert response.status_code == 302
    assert response["Location"] == "/ru/chats/gavan/?before=5"
    assert client.get("/ru/chats/gavan/").status_code == 200
    # A room's story is a page of its edition.
    room = ChatRoomFactory.build(title="Mixed", slug="mixed", language="ru", story=source)
    with pytest.raises(ValidationError):
        room.full_clean()


def test_a_translation_has_its_own_discussion(client, pair):
    newsroom, source, copy = pair
    reader = reader_verified(username="reader", display_name="Rita Reader")
    comment_post(user=reader, page=copy, body="Наконец-то открыли!")
    assert "Наконец-то открыли!" in client.get(f"/ru/discussions/{copy.pk}/").content.decode()
    assert "Наконец-то открыли!" not in client.get(f"/discussions/{source.pk}/").content.decode()


def test_the_subscribe_form_offers_the_editions_lists(client, pair):
    NewsletterListFactory(name="Morning briefing", slug="morning", language="en")
    NewsletterListFactory(name="Утренний выпуск", slug="utro", language="ru")
    english = client.get("/subscribe/").content.decode()
    russian = client.get("/ru/subscribe/").content.decode()
    assert "Morning briefing" in english and "Утренний выпуск" not in english
    assert "Утренний выпуск" in russian and "Morning briefing" not in russian
    # An edition with no list yet offers the others rather than nothing.
    assert "Morning briefing" in client.get("/ar/subscribe/").content.decode()


def test_a_digest_is_composed_from_its_lists_edition(pair):
    newsroom, source, copy = pair
    russian = NewsletterListFactory(name="Утренний выпуск", slug="utro", language="ru")
    english = NewsletterListFactory(name="Morning briefing", slug="morning", language="en")
    assert [s.pk for s in digest_stories(newsletter=russian, until=timezone.now())] == [copy.pk]
    assert [s.pk for s in digest_stories(newsletter=english, until=timezone.now())] == [source.pk]


def test_the_media_bank_lists_the_editions_stories_using_a_photo(client, pair):
    newsroom, source, copy = pair
    photo = source.lead_photo
    assert copy.lead_photo_id == photo.pk
    english = client.get(f"/mediabank/{photo.pk}/").content.decode()
    russian = client.get(f"/ru/mediabank/{photo.pk}/").content.decode()
    source_link, copy_link = f'href="{source.url}"', f'href="{copy.url}"'
    assert source_link in english and copy_link not in english
    assert copy_link in russian and source_link not in russian
