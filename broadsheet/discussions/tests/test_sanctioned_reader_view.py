"""A suspended or banned reader sees why instead of forms that would refuse
them, and keeps the one thing they may still do: delete their own comments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.discussions.factories import CommentFactory
from broadsheet.discussions.models import ReaderStanding

from .conftest import HX

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(story, reader, other):
    own = CommentFactory(page=story, author=reader, body="My own words")
    theirs = CommentFactory(page=story, author=other, body="Someone else's words")
    return reverse("discussions:thread", args=[story.pk]), own, theirs


@pytest.mark.parametrize(
    "standing, message",
    [
        ({"banned": True}, "Your account has been banned from the discussions."),
        (
            {"suspended_until": timezone.now() + timedelta(days=3)},
            "You are suspended from commenting until",
        ),
    ],
)
def test_sanctioned_reader_sees_why_and_no_forms(client, reader, thread, standing, message):
    url, own, theirs = thread
    ReaderStanding.objects.create(user=reader, **standing)
    client.force_login(reader)
    html = client.get(url, **HX).content.decode()
    assert message in html
    assert reverse("accounts:account") in html
    assert 'name="body"' not in html  # no comment form
    assert f"{theirs.pk}/like/" not in html and f"{theirs.pk}/report/" not in html
    assert f"{theirs.pk}/reply/" not in html
    assert f"{own.pk}/delete/" in html and f"{own.pk}/edit/" not in html
    reply = client.get(reverse("discussions:reply", args=[theirs.pk]))
    assert reply.status_code == 403 and message in reply.content.decode()


def test_a_lapsed_suspension_gives_the_forms_back(client, reader, thread):
    url, _own, theirs = thread
    ReaderStanding.objects.create(
        user=reader, suspended_until=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(reader)
    html = client.get(url, **HX).content.decode()
    assert 'name="body"' in html and f"{theirs.pk}/reply/" in html
