import pytest
from django.core.cache import cache

from broadsheet.accounts.factories import UserFactory
from broadsheet.chats.factories import ChatRoomFactory
from broadsheet.discussions.factories import reader_verified


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    # Rate-limit stamps live in the default cache, which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def room(db):
    return ChatRoomFactory(title="World news", slug="world-news", topic="The world, live")


@pytest.fixture
def reader(db):
    return reader_verified(username="reader", display_name="Rita Reader")


@pytest.fixture
def other(db):
    return reader_verified(username="other", display_name="Otto Other")


@pytest.fixture
def unverified(db):
    return UserFactory(username="unverified")


@pytest.fixture
def moderator(db):
    return reader_verified(
        username="mod", display_name="Mona Moderator", is_staff=True, groups=["Moderators"]
    )


@pytest.fixture
def published(monkeypatch):
    """The events the chats hand to the realtime layer, as (stream, kind, data),
    still passed on to it."""
    from broadsheet.chats import events

    calls = []
    real = events.event_publish

    def record(*, stream, kind, data):
        calls.append((stream, kind, data))
        return real(stream=stream, kind=kind, data=data)

    monkeypatch.setattr(events, "event_publish", record)
    return calls
