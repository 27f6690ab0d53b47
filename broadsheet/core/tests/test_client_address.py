"""Per-IP limits must count readers, not the reverse proxy in front of the app."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from broadsheet.asgi import client_address_from_proxy


def _client_seen(peer: str, forwarded: str, settings, trusted) -> str:
    settings.BROADSHEET_TRUSTED_PROXIES = trusted
    seen = {}

    async def app(scope, receive, send):
        seen["client"] = scope["client"][0]

    scope = {
        "type": "http",
        "scheme": "http",
        "client": (peer, 40000),
        "headers": [(b"x-forwarded-for", forwarded.encode())],
    }
    # A thread of its own: Playwright's sync API (browser tests in the same
    # worker) keeps an event loop running in the main thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, client_address_from_proxy(app)(scope, None, None)).result()
    return seen["client"]


def test_the_readers_address_comes_from_a_trusted_proxy(settings):
    assert _client_seen("127.0.0.1", "203.0.113.9", settings, ["127.0.0.1"]) == "203.0.113.9"


def test_a_reader_cannot_forge_the_header(settings):
    assert _client_seen("198.51.100.2", "203.0.113.9", settings, ["127.0.0.1"]) == "198.51.100.2"
