"""What the event stream endpoint refuses, and why: never a 500."""

import asyncio

import pytest
from asgiref.testing import ApplicationCommunicator

from .sse import Client

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("realtime_settings")]


async def refused(client: Client) -> tuple[int, str]:
    status = await client.start()
    await client.communicator.wait(2)
    return status, client.body.decode()


@pytest.mark.parametrize(
    ("query", "headers", "reason"),
    [
        ("", [], "no stream given"),
        ("stream=", [], "invalid stream name"),
        ("stream=News", [], "invalid stream name"),
        ("stream=chat-1-2", [], "invalid stream name"),
        ("stream=chat-x", [], "invalid stream name"),
        ("stream=newsfeed%0A", [], "invalid stream name"),
        ("stream=" + "a" * 65, [], "invalid stream name"),
        ("&".join(f"stream=chat-{n}" for n in range(9)), [], "at most 8 streams"),
        ("stream=newsfeed&last=abc", [], "invalid last"),
        ("stream=newsfeed&last=-1", [], "invalid last"),
        ("stream=newsfeed&last=1" + "0" * 20, [], "invalid last"),
        ("stream=newsfeed&since=1e9", [], "invalid since"),
        ("stream=newsfeed&since=" + "9" * 18, [], "invalid since"),
        ("stream=newsfeed&room=1", [], "unknown parameter: room"),
        ("stream=newsfeed&x", [], "malformed query string"),
        ("stream=newsfeed&" + "stream=newsfeed&" * 200, [], "query string too long"),
        ("stream=newsfeed", [(b"last-event-id", b"12; DROP")], "invalid Last-Event-ID"),
    ],
)
def test_bad_input_is_refused_with_a_reason(run, query, headers, reason):
    status, body = run(refused(Client(query, headers=headers)))
    assert (status, body.strip()) == (400, reason)


def test_non_utf8_query_is_refused(run):
    async def scenario():
        client = Client("")
        client.communicator.scope["query_string"] = b"stream=\xff"
        return await refused(client)

    assert run(scenario())[0] == 400


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "http://127.0.0.1.evil.example"]
)
def test_cross_site_origin_is_refused(run, origin):
    headers = [(b"origin", origin.encode())]
    status, body = run(refused(Client("stream=newsfeed", headers=headers)))
    assert status == 403
    assert "cross-site" in body


def test_own_origin_is_served(run, settings):
    settings.SITE_URL = "https://news.example"
    settings.ALLOWED_HOSTS = ["127.0.0.1", ".example.org"]

    async def scenario():
        statuses = []
        for origin in (
            b"https://news.example",
            b"http://127.0.0.1:8000",
            b"https://www.example.org",
        ):
            client = Client("stream=newsfeed", headers=[(b"origin", origin)])
            statuses.append(await client.start())
            await client.close()
        return statuses

    assert run(scenario()) == [200, 200, 200]


def test_other_methods_are_refused(run):
    status, _ = run(refused(Client("stream=newsfeed", method="POST")))
    assert status == 405


def test_per_address_limit(run, settings):
    settings.REALTIME_MAX_PER_IP = 2

    async def scenario():
        held = [Client("stream=newsfeed", ip="10.1.1.1") for _ in range(2)]
        for client in held:
            assert await client.start() == 200
        over = Client("stream=newsfeed", ip="10.1.1.1")
        assert await over.start() == 429
        assert over.headers["retry-after"] == "30"
        assert b"too many" in over.body
        other = Client("stream=newsfeed", ip="10.2.2.2")
        assert await other.start() == 200
        await held[0].close()
        again = Client("stream=newsfeed", ip="10.1.1.1")
        assert await again.start() == 200
        for client in (held[1], other, again):
            await client.close()

    run(scenario())


def test_per_process_limit(run, settings):
    settings.REALTIME_MAX_CONNECTIONS = 2

    async def scenario():
        held = [Client("stream=newsfeed", ip=f"10.0.0.{n}") for n in range(2)]
        for client in held:
            assert await client.start() == 200
        over = Client("stream=newsfeed", ip="10.0.0.9")
        assert await over.start() == 503
        assert "retry-after" in over.headers
        for client in held:
            await client.close()
        # Every slot is given back when streams end.
        from broadsheet.realtime.endpoint import open_connections

        assert open_connections() == 0

    run(scenario())


def test_pages_still_reach_django(run, monkeypatch):
    """The router sends everything but /realtime/events to the Django app."""
    from django.db import connections

    from broadsheet.asgi import application

    # The request runs in a thread of the app's pool: its connection must not
    # outlive the test (PostgreSQL cannot drop a test database in use).
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)

    async def scenario():
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/robots.txt",
            "raw_path": b"/robots.txt",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1")],
            "client": ("10.0.0.1", 1),
            "server": ("127.0.0.1", 8000),
        }
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(10)
        body = await communicator.receive_output(10)
        await communicator.wait(5)
        return start["status"], body["body"]

    status, body = run(scenario())
    assert status == 200
    assert b"Sitemap" in body or b"User-agent" in body


def test_disconnect_ends_the_stream_and_frees_the_slot(run):
    from broadsheet.realtime.endpoint import open_connections
    from broadsheet.realtime.hub import hub_get

    async def scenario():
        client = Client("stream=newsfeed")
        await client.start()
        assert open_connections() == 1
        await client.close()
        assert client.communicator.future.done()
        assert open_connections() == 0
        await asyncio.sleep(0.1)
        assert hub_get().readers() == {}

    run(scenario())
