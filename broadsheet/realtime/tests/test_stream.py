"""The event stream end to end inside one process: subscribe, replay, live."""

import asyncio
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from broadsheet.realtime import selectors
from broadsheet.realtime.models import Event
from broadsheet.realtime.services import event_prune_run, event_publish

from .sse import Client, ids, in_db_thread, publish

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("realtime_settings")]


def test_event_published_after_connect_arrives(run):
    async def scenario():
        client = Client("stream=newsfeed&stream=chat-3")
        assert await client.start() == 200
        assert client.headers["content-type"].startswith("text/event-stream")
        assert client.headers["cache-control"] == "no-store"
        assert client.headers["x-accel-buffering"] == "no"
        first = await publish("newsfeed", "story", id=12, headline="Rain")
        await publish("live-9", "entry", id=1)  # another stream: not sent
        second = await publish("chat-3", "message", id=5)
        frames = await client.frames(2)
        assert ids(frames) == [first, second]
        assert frames[0]["message"] == {
            "stream": "newsfeed",
            "kind": "story",
            "id": first,
            "data": {"id": 12, "headline": "Rain"},
        }
        await client.nothing()
        await client.close()

    run(scenario())


def test_last_replays_missed_events_in_order_then_live(run):
    async def scenario():
        seen = await publish("newsfeed", id=1)
        missed = [await publish("newsfeed", id=2), await publish("live-4", id=3)]
        await publish("chat-1", id=4)  # not followed
        missed.append(await publish("newsfeed", id=5))
        client = Client(f"stream=newsfeed&stream=live-4&last={seen}")
        await client.start()
        assert ids(await client.frames(3)) == missed
        live = await publish("live-4", id=6)
        assert ids(await client.frames(1)) == [live]
        await client.nothing()
        await client.close()

    run(scenario())


def test_last_event_id_header_is_the_resume_point(run):
    """The browser's own reconnect repeats its first URL: the header wins."""

    async def scenario():
        first = await publish("newsfeed", id=1)
        second = await publish("newsfeed", id=2)
        header = (b"last-event-id", str(first).encode())
        client = Client(f"stream=newsfeed&last={first - 1}", headers=[header])
        await client.start()
        assert ids(await client.frames(1)) == [second]
        await client.close()

    run(scenario())


def test_since_replays_what_the_cached_page_did_not_show(run):
    async def scenario():
        old = await publish("newsfeed", id=1)
        recent = await publish("newsfeed", id=2)
        # The page was rendered a minute after `old` and before `recent`.
        rendered = timezone.now() - timedelta(minutes=1)
        await in_db_thread(
            Event.objects.filter(id=old).update, created_at=rendered - timedelta(minutes=1)
        )
        client = Client(f"stream=newsfeed&since={int(rendered.timestamp() * 1000)}")
        await client.start()
        assert ids(await client.frames(1)) == [recent]
        await client.nothing()
        await client.close()

    run(scenario())


def test_without_last_or_since_the_stream_starts_now(run):
    async def scenario():
        await publish("newsfeed", id=1)
        client = Client("stream=newsfeed")
        await client.start()
        await client.nothing(0.2)
        live = await publish("newsfeed", id=2)
        assert ids(await client.frames(1)) == [live]
        await client.close()

    run(scenario())


@pytest.mark.parametrize("moment", ["before", "after"])
def test_event_committed_while_replaying_arrives_exactly_once(run, monkeypatch, moment):
    """Subscribe, then replay: an event that commits around the replay query
    is both buffered and (before) replayed, and is sent once either way."""
    raced = {}
    replay = selectors.stream_events_after

    def racing_replay(**kwargs):
        if moment == "after":
            rows = replay(**kwargs)
        raced["id"] = event_publish(stream="newsfeed", kind="test", data={"id": 2}).id
        if moment == "before":
            rows = replay(**kwargs)
        return rows

    async def scenario():
        seen = await publish("newsfeed", id=1)
        missed = await publish("newsfeed", id=1)
        monkeypatch.setattr(selectors, "stream_events_after", racing_replay)
        client = Client(f"stream=newsfeed&last={seen}")
        await client.start()
        assert ids(await client.frames(2)) == [missed, raced["id"]]
        monkeypatch.setattr(selectors, "stream_events_after", replay)
        later = await publish("newsfeed", id=3)
        assert ids(await client.frames(1)) == [later]
        await client.nothing()
        await client.close()

    run(scenario())


def test_too_far_behind_gets_reload_for_that_stream_only(run, settings):
    settings.REALTIME_REPLAY_MAX = 3

    async def scenario():
        seen = await publish("chat-1", id=1)
        for number in range(4):
            await publish("newsfeed", id=number)
        missed_chat = await publish("chat-1", id=2)
        client = Client(f"stream=newsfeed&stream=chat-1&last={seen}")
        await client.start()
        reload, replayed = await client.frames(2)
        assert reload["event"] == "reload"
        assert reload["data"] == "newsfeed"
        # The resume point moves to now: the next reconnect does not reload again.
        assert int(reload["id"]) >= missed_chat
        assert ids([replayed]) == [missed_chat]
        live = await publish("newsfeed", id=9)
        assert ids(await client.frames(1)) == [live]
        await client.close()

    run(scenario())


def test_last_id_pruned_from_the_log_gets_reload(run):
    async def scenario():
        seen = await publish("newsfeed", id=1)
        await publish("newsfeed", id=2)
        kept = await publish("newsfeed", id=3)
        assert await in_db_thread(event_prune_run, older_than=timedelta(0)) == 2
        client = Client(f"stream=newsfeed&stream=chat-2&last={seen}")
        await client.start()
        frames = await client.frames(2)
        assert [(f["event"], f["data"], int(f["id"])) for f in frames] == [
            ("reload", "newsfeed", kept),
            ("reload", "chat-2", kept),
        ]
        live = await publish("chat-2", id=4)
        assert ids(await client.frames(1)) == [live]
        await client.close()

    run(scenario())


def test_last_id_beyond_the_log_gets_reload(run):
    """A client of a database since reset would otherwise wait for ever."""

    async def scenario():
        newest = await publish("newsfeed", id=1)
        client = Client(f"stream=newsfeed&last={newest + 1000}")
        await client.start()
        (frame,) = await client.frames(1)
        assert (frame["event"], int(frame["id"])) == ("reload", newest)
        await client.close()

    run(scenario())


def test_since_older_than_the_retention_gets_reload(run):
    async def scenario():
        await publish("newsfeed", id=1)
        long_ago = timezone.now() - timedelta(days=30)
        client = Client(f"stream=newsfeed&since={int(long_ago.timestamp() * 1000)}")
        await client.start()
        (frame,) = await client.frames(1)
        assert frame["event"] == "reload"
        await client.close()

    run(scenario())


def test_rolled_back_event_is_never_pushed(run):
    def publish_then_fail():
        with transaction.atomic():
            event_publish(stream="newsfeed", kind="test", data={"id": 1})
            raise RuntimeError("the change failed")

    async def scenario():
        client = Client("stream=newsfeed")
        await client.start()
        with pytest.raises(RuntimeError):
            await in_db_thread(publish_then_fail)
        committed = await publish("newsfeed", id=2)
        assert ids(await client.frames(1)) == [committed]
        await client.nothing()
        await client.close()
        assert await in_db_thread(Event.objects.count) == 1

    run(scenario())


def test_slow_client_is_disconnected_and_others_keep_receiving(run, settings):
    """A reader whose writes block fills its buffer and is cut off; it would
    reconnect with its last id. A normal reader on the stream is unaffected."""
    settings.REALTIME_QUEUE_SIZE = 4
    from broadsheet.realtime.endpoint import events_app

    async def scenario():
        stuck = asyncio.Event()  # never set: the slow reader's socket is full
        sent = []

        async def slow_send(message):
            sent.append(message)
            if message.get("more_body"):
                await stuck.wait()

        disconnected = asyncio.Event()

        async def slow_receive():
            await disconnected.wait()
            return {"type": "http.disconnect"}

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/realtime/events",
            "query_string": b"stream=newsfeed",
            "headers": [],
            "client": ("10.0.0.9", 1),
        }
        slow = asyncio.create_task(events_app(scope, slow_receive, slow_send))
        fast = Client("stream=newsfeed")
        await fast.start()
        await asyncio.sleep(0.1)  # the slow reader has subscribed
        for number in range(8):
            published = await publish("newsfeed", id=number)
            assert ids(await fast.frames(1)) == [published]
        async with asyncio.timeout(5):
            await slow  # the hub dropped it: the app returned
        assert not disconnected.is_set()
        assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}
        await fast.close()

    run(scenario())


def test_stream_closes_cleanly_after_its_lifetime(run, settings):
    settings.REALTIME_MAX_LIFETIME = 1

    async def scenario():
        client = Client("stream=newsfeed")
        await client.start()
        started = time.monotonic()
        async with asyncio.timeout(3):
            while not client.ended:
                await client._read(3)
        assert 0.8 <= time.monotonic() - started <= 2
        await client.close()

    run(scenario())


def test_idle_stream_gets_heartbeats(run, settings):
    settings.REALTIME_HEARTBEAT = 0.2

    async def scenario():
        client = Client("stream=newsfeed")
        await client.start()
        frames = await client.frames(2, kinds=("comment",), timeout=2)
        assert {frame["comment"] for frame in frames} == {"keep-alive"}
        await client.close()

    run(scenario())


def test_presence_counts_readers_per_stream(run):
    from broadsheet.realtime.selectors import presence_counts

    async def counts():
        return await in_db_thread(presence_counts, streams=["newsfeed", "chat-1", "chat-2"])

    async def eventually(expected):
        deadline = time.monotonic() + 8
        while (now := await counts()) != expected and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert now == expected

    async def scenario():
        clients = [Client(q) for q in ("stream=newsfeed", "stream=newsfeed&stream=chat-1")]
        for client in clients:
            await client.start()
        await eventually({"newsfeed": 2, "chat-1": 1, "chat-2": 0})
        for client in clients:
            await client.close()
        # The last reader gone, the hub stops and removes its rows.
        await eventually({"newsfeed": 0, "chat-1": 0, "chat-2": 0})

    run(scenario())
