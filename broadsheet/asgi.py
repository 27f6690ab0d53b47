"""The one entry point of the site: Django's pages, and the realtime event
streams (Server-Sent Events, broadsheet/realtime/endpoint.py) beside them.

HTTP goes to Django's synchronous request handler, wrapped for ASGI by
a2wsgi: every view and middleware here is synchronous, and Django's own ASGI
handler would hop between the event loop and worker threads several times per
request. Measured on this project's 2-core machine (docs/benchmarks.md):
robots.txt 271 → 1,884 req/s, a story page 121 → 305 req/s.

A request's body is read by the event loop before a Django thread takes it
(broadsheet/core/request_body.py): a slow upload never holds a thread.

/realtime/events is a native ASGI app instead: thousands of long-lived
streams are coroutines of the event loop, never threads of the Django pool.
https://channels.readthedocs.io/en/stable/topics/routing.html
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings.dev")

django_http_app = get_wsgi_application()

from a2wsgi import WSGIMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path, re_path  # noqa: E402

from broadsheet.core.request_body import request_body_buffered  # noqa: E402
from broadsheet.realtime.endpoint import events_app  # noqa: E402


def coroutine_receive(app):
    """a2wsgi reads a request body with `asyncio.run_coroutine_threadsafe(receive())`,
    which accepts only a coroutine; granian's `receive()` returns another kind of
    awaitable, so every POST (logins, admin saves) answered 500 under granian."""

    async def asgi(scope, receive, send):
        async def receive_coroutine():
            return await receive()

        await app(scope, receive_coroutine, send)

    return asgi


def client_address_from_proxy(app):
    """Behind nginx or a CDN every request comes from the proxy: take the
    reader's address from X-Forwarded-For, but only when the peer is one of
    BROADSHEET_TRUSTED_PROXIES, so per-IP rate limits and lockouts count
    readers, not the proxy (and a reader cannot forge the header)."""
    from granian.utils.proxies import wrap_asgi_with_proxy_headers

    return wrap_asgi_with_proxy_headers(app, trusted_hosts=settings.BROADSHEET_TRUSTED_PROXIES)


django_app = request_body_buffered(
    coroutine_receive(WSGIMiddleware(django_http_app, workers=settings.BROADSHEET_HTTP_THREADS)),
    max_bytes=settings.BROADSHEET_MAX_REQUEST_BYTES,
)

application = ProtocolTypeRouter(
    {
        "http": client_address_from_proxy(
            URLRouter(
                [
                    path("realtime/events", events_app),
                    re_path(r"", django_app),
                ]
            )
        )
    }
)
