from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from broadsheet.realtime import services
from broadsheet.realtime.models import Event, Presence
from broadsheet.realtime.selectors import presence_counts
from broadsheet.realtime.services import event_prune_run, event_publish


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stream", "kind", "data", "error"),
    [
        ("News", "story", {}, ValueError),
        ("chat-", "story", {}, ValueError),
        ("live-1-2", "story", {}, ValueError),
        ("a" * 65, "story", {}, ValueError),
        ("newsfeed", "", {}, ValueError),
        ("newsfeed", "Story Published", {}, ValueError),
        ("newsfeed", "x" * 41, {}, ValueError),
        ("newsfeed", "story", ["not", "a", "dict"], TypeError),
        ("newsfeed", "story", {"when": timezone.now()}, TypeError),
    ],
)
def test_event_publish_refuses_bad_events(stream, kind, data, error):
    with pytest.raises(error):
        event_publish(stream=stream, kind=kind, data=data)
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_wake_up_is_sent_after_commit_only(monkeypatch):
    woken = []
    monkeypatch.setattr(services, "_wake_tailers", woken.append)
    with pytest.raises(RuntimeError), transaction.atomic():
        event_publish(stream="newsfeed", kind="story", data={"id": 1})
        raise RuntimeError
    assert woken == []
    with transaction.atomic():
        event = event_publish(stream="chat-2", kind="message", data={"id": 2})
        assert woken == []
    assert woken == [event.id]
    assert list(Event.objects.values_list("stream", "kind", "data")) == [
        ("chat-2", "message", {"id": 2})
    ]


@pytest.mark.django_db
def test_wake_up_without_redis_does_nothing(settings):
    settings.REDIS_URL = ""
    services._wake_tailers(1)  # no client, no error


@pytest.mark.django_db
def test_unreachable_redis_never_fails_the_publisher(settings, monkeypatch, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setattr(services, "_redis_client", None)
    services._wake_tailers(7)
    assert "wake-up for event 7 failed" in caplog.text


@pytest.mark.django_db
def test_prune_keeps_recent_events_and_the_newest(settings):
    settings.REALTIME_RETENTION_DAYS = 2
    old = [event_publish(stream="newsfeed", kind="story", data={"id": n}) for n in range(3)]
    recent = event_publish(stream="newsfeed", kind="story", data={"id": 9})
    Event.objects.filter(id__in=[e.id for e in old]).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    assert event_prune_run() == 3
    assert list(Event.objects.values_list("id", flat=True)) == [recent.id]
    # Everything old: the newest stays, the horizon of the log.
    Event.objects.update(created_at=timezone.now() - timedelta(days=3))
    assert event_prune_run() == 0
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_presence_counts_sum_live_processes_only():
    now = timezone.now()
    Presence.objects.bulk_create(
        [
            Presence(process="a", stream="chat-1", count=3, seen_at=now),
            Presence(process="b", stream="chat-1", count=2, seen_at=now - timedelta(seconds=5)),
            Presence(process="c", stream="chat-1", count=7, seen_at=now - timedelta(minutes=2)),
            Presence(process="a", stream="newsfeed", count=1, seen_at=now),
        ]
    )
    assert presence_counts(streams=["chat-1", "newsfeed", "live-4"]) == {
        "chat-1": 5,
        "newsfeed": 1,
        "live-4": 0,
    }
    # Rows of processes gone for long are removed by the scheduler's prune.
    Presence.objects.filter(process="c").update(seen_at=now - timedelta(hours=1))
    event_prune_run()
    assert set(Presence.objects.values_list("process", flat=True)) == {"a", "b"}


@pytest.mark.django_db
def test_presence_write_upserts_and_deletes():
    services.presence_write(process="p", counts={"chat-1": 2, "newsfeed": 1}, touch=False)
    services.presence_write(process="p", counts={"chat-1": 4, "newsfeed": 0}, touch=True)
    assert list(Presence.objects.values_list("stream", "count")) == [("chat-1", 4)]


@pytest.mark.django_db
def test_realtime_publish_command(capsys):
    call_command("realtime_publish", "live-3", "entry", '{"id": 5}')
    event = Event.objects.get()
    assert capsys.readouterr().out.strip() == str(event.id)
    assert (event.stream, event.kind, event.data) == ("live-3", "entry", {"id": 5})
    for args in (("live-3", "entry", "{oops"), ("live-3", "entry", "[1]"), ("Live", "entry")):
        with pytest.raises(CommandError):
            call_command("realtime_publish", *args)
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_scheduler_prunes_the_event_log(settings):
    event_publish(stream="newsfeed", kind="story", data={"id": 1})
    event_publish(stream="newsfeed", kind="story", data={"id": 2})
    Event.objects.update(created_at=timezone.now() - timedelta(days=30))
    call_command("run_scheduler", "--once")
    assert Event.objects.count() == 1
