"""The moderation audit log can be narrowed by action, moderator, reader and
dates; bad input is reported and left out, never a 500."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.discussions.models import ModerationAction, ModerationActionKind

pytestmark = pytest.mark.django_db

AUDIT = "/admin/discussions/audit/"
QUEUE = "/admin/discussions/queue/"


@pytest.fixture
def second_moderator(db):
    return reader_verified(
        username="mod2", display_name="Max Moderator", is_staff=True, groups=["Moderators"]
    )


def _log(moderator, action, reader, *, comment=None, when=None, reason=""):
    entry = ModerationAction.objects.create(
        moderator=moderator, action=action, reader=reader, comment=comment, reason=reason
    )
    if when is not None:
        ModerationAction.objects.filter(pk=entry.pk).update(created_at=when)
    return entry


def _day(y, m, d, h=12):
    return timezone.make_aware(datetime(y, m, d, h, 0))


@pytest.fixture
def log(story, reader, other, moderator, second_moderator):
    comment = CommentFactory(page=story, author=reader)
    return {
        "reject": _log(
            moderator, ModerationActionKind.REJECT, reader, comment=comment, when=_day(2026, 1, 10)
        ),
        "warn": _log(
            second_moderator, ModerationActionKind.WARN, other, when=_day(2026, 1, 31, 23)
        ),
        "ban": _log(second_moderator, ModerationActionKind.BAN, reader, when=_day(2026, 2, 1, 0)),
    }


def _ids(response):
    return [e.pk for e in response.context["page"]]


@pytest.fixture
def desk(client, moderator):
    client.force_login(moderator)
    return client


def test_no_filters_lists_everything(desk, log):
    response = desk.get(AUDIT)
    assert response.status_code == 200
    assert _ids(response) == [log["ban"].pk, log["warn"].pk, log["reject"].pk]
    html = response.content.decode()
    assert "data-audit-filters" in html and 'name="action"' in html and 'type="date"' in html
    assert "Clear filters" not in html


def test_filter_by_action(desk, log):
    response = desk.get(AUDIT, {"action": "ban"})
    assert _ids(response) == [log["ban"].pk]
    assert "Clear filters" in response.content.decode()


def test_filter_by_moderator_offers_only_those_who_acted(desk, log, second_moderator):
    response = desk.get(AUDIT, {"moderator": second_moderator.pk})
    assert _ids(response) == [log["ban"].pk, log["warn"].pk]
    choices = dict(response.context["form"].fields["moderator"].choices)
    assert set(choices) == {"", str(log["reject"].moderator_id), str(second_moderator.pk)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("rita", ["ban", "reject"]), ("OTTO", ["warn"]), ("other@example", ["warn"]), ("zz", [])],
)
def test_filter_by_reader_text(desk, log, text, expected):
    response = desk.get(AUDIT, {"reader": text})
    assert _ids(response) == [log[k].pk for k in expected]
    if not expected:
        assert "No moderation actions match these filters." in response.content.decode()


def test_filter_by_reader_link(desk, log, reader):
    response = desk.get(AUDIT, {"reader_id": reader.pk, "action": "reject"})
    assert _ids(response) == [log["reject"].pk]
    html = response.content.decode()
    assert "Only actions about Rita Reader." in html
    assert '<a href="?action=reject">Show all readers</a>' in html
    assert f'name="reader_id" value="{reader.pk}"' in html  # kept by the form


def test_filter_by_dates_includes_the_whole_last_day(desk, log):
    response = desk.get(AUDIT, {"since": "2026-01-01", "until": "2026-01-31"})
    assert _ids(response) == [log["warn"].pk, log["reject"].pk]
    assert _ids(desk.get(AUDIT, {"since": "2026-02-01"})) == [log["ban"].pk]
    assert _ids(desk.get(AUDIT, {"until": "2026-01-10"})) == [log["reject"].pk]


def test_filters_combine(desk, log, second_moderator):
    query = {"moderator": second_moderator.pk, "reader": "rita", "until": "2026-12-31"}
    assert _ids(desk.get(AUDIT, query)) == [log["ban"].pk]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"action": "explode"}, "Select a valid choice."),
        ({"moderator": "abc"}, "Select a valid choice."),
        ({"moderator": "999999"}, "Select a valid choice."),
        ({"since": "31/31/2026"}, "Enter a valid date."),
        ({"until": "yesterday"}, "Enter a valid date."),
        # The end date is the one left out: the start date still applies.
        ({"since": "2026-01-11", "until": "2026-01-01"}, "The end date is before the start date."),
        ({"reader_id": "abc"}, "The reader link is not valid; it was left out."),
        ({"reader": "x" * 300}, "Ensure this value has at most 200 characters"),
    ],
)
def test_bad_input_is_reported_and_left_out(desk, log, query, message):
    response = desk.get(AUDIT, query)
    assert response.status_code == 200
    assert message in response.content.decode()
    expected = 2 if "since" in query and "until" in query else 3
    assert len(_ids(response)) == expected  # the bad filter does not apply


def test_bad_input_leaves_the_good_filters_in_place(desk, log):
    response = desk.get(AUDIT, {"action": "warn", "since": "nonsense"})
    assert _ids(response) == [log["warn"].pk]


def test_pagination_keeps_the_filters(desk, story, reader, other, moderator):
    for _ in range(51):
        _log(moderator, ModerationActionKind.WARN, reader)
    _log(moderator, ModerationActionKind.BAN, other)
    first = desk.get(AUDIT, {"action": "warn"})
    assert len(_ids(first)) == 50
    assert "?action=warn&amp;p=2" in first.content.decode()
    second = desk.get(AUDIT, {"action": "warn", "p": 2})
    assert len(_ids(second)) == 1
    assert "?action=warn&amp;p=1" in second.content.decode()
    assert len(_ids(desk.get(AUDIT, {"action": "warn", "p": "999"}))) == 1  # last page


def test_audit_query_count_does_not_grow_with_rows(desk, story, reader, other, moderator):
    def fill(n):
        for i in range(n):
            comment = CommentFactory(page=story, author=reader if i % 2 else other)
            _log(moderator, ModerationActionKind.REJECT, comment.author, comment=comment)
            _log(
                reader_verified(username=f"m{n}-{i}", groups=["Moderators"]),
                ModerationActionKind.WARN,
                comment.author,
            )

    fill(2)
    query = {"reader": "e", "since": "2000-01-01", "reader_id": reader.pk}
    desk.get(AUDIT, query)  # warm Wagtail's per-process caches
    with CaptureQueriesContext(connection) as few:
        desk.get(AUDIT, query)
    fill(20)
    with CaptureQueriesContext(connection) as many:
        response = desk.get(AUDIT, query)
    assert len(_ids(response)) == 22
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_queue_links_an_author_to_their_audit_history(desk, story, reader):
    CommentFactory(page=story, author=reader)
    html = desk.get(QUEUE, {"tab": "newest"}).content.decode()
    assert f'href="{AUDIT}?reader_id={reader.pk}"' in html


def test_audit_rows_link_to_the_readers_history(desk, log, reader):
    html = desk.get(AUDIT).content.decode()
    assert f'href="{AUDIT}?reader_id={reader.pk}"' in html


def test_filters_refuse_non_moderators(client, log, other):
    client.force_login(other)
    response = client.get(AUDIT, {"action": "ban"})
    assert response.status_code == 302
