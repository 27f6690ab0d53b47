import pytest

from broadsheet.accounts.factories import UserFactory
from broadsheet.live.factories import LiveStoryPageFactory


@pytest.fixture
def reporter(db):
    return UserFactory(username="reporter", is_staff=True, groups=["Editors"])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", is_staff=True, groups=["Moderators"])


@pytest.fixture
def story(world, author):
    return LiveStoryPageFactory(parent=world, authors=[author], slug="the-summit-live")


@pytest.fixture
def events(monkeypatch):
    """What the services announce on the realtime layer, in order."""
    sent = []

    def record(*, stream, kind, data):
        import json

        json.dumps(data)  # the contract: JSON-serialisable
        sent.append({"stream": stream, "kind": kind, "data": data})

    monkeypatch.setattr("broadsheet.live.services.event_publish", record)
    return sent
