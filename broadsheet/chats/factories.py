"""Factories for chats (tests and the demo loader)."""

import factory
from django.utils.text import slugify

from broadsheet.accounts.factories import UserFactory

from .models import ChatMessage, ChatMute, ChatRoom, MessageStatus, RoomStatus


class ChatRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatRoom
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.LazyAttribute(lambda room: slugify(room.title))
    topic = factory.Faker("sentence")
    status = RoomStatus.OPEN


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    room = factory.SubFactory(ChatRoomFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")
    status = MessageStatus.VISIBLE


class ChatMuteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMute

    room = factory.SubFactory(ChatRoomFactory)
    user = factory.SubFactory(UserFactory)
