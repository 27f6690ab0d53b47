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
def events():
    """The realtime events stored so far (the Event rows readers are sent), in order."""
    from broadsheet.realtime.models import Event

    def stored():
        return [
            {"stream": e.stream, "kind": e.kind, "data": e.data}
            for e in Event.objects.filter(stream__startswith="live-").order_by("id")
        ]

    return stored
