"""The account page tells a reader where they stand in the discussions:
warnings, a suspension or a ban with the reasons, comments held or rejected;
nothing at all in good standing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from broadsheet.discussions.factories import CommentFactory
from broadsheet.discussions.models import CommentStatus, ReaderStanding
from broadsheet.discussions.services import reader_ban, reader_suspend, reader_unban, reader_warn
from broadsheet.discussions.standing import reader_standing_summary
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:account")


@pytest.fixture
def story(world):
    return ArticlePageFactory(parent=world, title="Harbour news")


def _page(client, reader) -> str:
    client.force_login(reader)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_nothing_shown_in_good_standing(client, reader, story):
    CommentFactory(page=story, author=reader)  # visible: nothing to say
    html = _page(client, reader)
    assert "data-standing" not in html
    assert "Your standing in the discussions" not in html


def test_warning_with_date_and_reason(client, reader, staff, story):
    comment = CommentFactory(page=story, author=reader)
    reader_warn(moderator=staff, reader=reader, comment=comment, reason="Keep it civil")
    html = _page(client, reader)
    with translation.override("en"):
        today = date_format(timezone.localdate(), "j F Y")
    assert "Your standing in the discussions" in html
    assert f"The moderators have warned you once, on {today}." in html
    assert "Keep it civil" in html
    assert "Eddie Editor" not in html  # never who the moderator was
    assert "If you think this is a mistake, write to newsroom@broadsheet.localhost." in html


def test_several_warnings_show_the_latest_reason(client, reader, staff):
    reader_warn(moderator=staff, reader=reader, reason="First nudge")
    reader_warn(moderator=staff, reader=reader, reason="Second nudge")
    html = _page(client, reader)
    assert "The moderators have warned you 2 times, most recently on" in html
    assert "Second nudge" in html and "First nudge" not in html


def test_suspension_until_when_and_why(client, reader, staff):
    until = timezone.now() + timedelta(days=7)
    reader_suspend(moderator=staff, reader=reader, until=until, reason="Cooling off")
    html = _page(client, reader)
    with translation.override("en"):
        expected = date_format(timezone.localtime(until), "j F Y, H:i")
    assert "data-standing-suspended" in html
    assert f"You are suspended from the discussions until {expected}" in html
    assert "Cooling off" in html


def test_suspension_without_reason_says_so_and_shows_no_date_as_reason(client, reader, staff):
    until = timezone.now() + timedelta(days=7)
    reader_suspend(moderator=staff, reader=reader, until=until)
    html = _page(client, reader)
    with translation.override("en"):
        expected = date_format(timezone.localtime(until), "j F Y, H:i")
    assert f"You are suspended from the discussions until {expected}" in html
    assert "The moderators gave no reason." in html
    assert "The moderators’ reason:" not in html and "Until" not in html


def test_an_ended_suspension_is_not_shown(client, reader):
    ReaderStanding.objects.create(user=reader, suspended_until=timezone.now() - timedelta(hours=1))
    assert "data-standing" not in _page(client, reader)


def test_ban_with_reason_then_lifted(client, reader, staff, settings):
    settings.BROADSHEET_COMMUNITY_RULES_URL = "/rules/"
    reader_ban(moderator=staff, reader=reader, reason="Repeated abuse")
    html = _page(client, reader)
    assert "data-standing-banned" in html and "You are banned from the discussions" in html
    assert "Repeated abuse" in html
    assert '<a href="/rules/">Read the community rules</a>' in html
    reader_unban(moderator=staff, reader=reader)
    assert "data-standing" not in _page(client, reader)


def test_held_and_rejected_comments_are_counted(client, reader, story):
    CommentFactory.create_batch(2, page=story, author=reader, status=CommentStatus.HELD)
    CommentFactory(page=story, author=reader, status=CommentStatus.REJECTED)
    html = _page(client, reader)
    assert "2 of your comments are waiting for a moderator before they are shown." in html
    assert "One of your comments was not published by the moderators." in html
    assert "data-standing-banned" not in html and "data-standing-warned" not in html
    assert "mistake" not in html  # no sanction: nothing to appeal


def test_summary_costs_at_most_two_queries(django_assert_max_num_queries, reader, staff, story):
    reader_warn(moderator=staff, reader=reader, reason="r")
    reader_ban(moderator=staff, reader=reader, reason="b")
    CommentFactory(page=story, author=reader, status=CommentStatus.HELD)
    with django_assert_max_num_queries(2):
        summary = reader_standing_summary(user=reader)
    assert (summary.warnings, summary.banned, summary.held) == (1, True, 1)
    assert (summary.last_warning_reason, summary.ban_reason) == ("r", "b")


def test_another_readers_sanctions_do_not_leak(client, reader, unverified_reader, staff):
    reader_ban(moderator=staff, reader=unverified_reader, reason="Not yours")
    html = _page(client, reader)
    assert "data-standing" not in html and "Not yours" not in html
