import pytest

from broadsheet.chats.factories import ChatRoomFactory

# The same readers (and the emptied rate-limit cache) as the discussions' tests.
from broadsheet.discussions.tests.conftest import (  # noqa: F401
    _empty_rate_limits,
    moderator,
    other,
    reader,
    unverified,
)


@pytest.fixture
def room(db):
    return ChatRoomFactory(title="World news", slug="world-news", topic="The world, live")


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
