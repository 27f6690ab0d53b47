"""deploy/varnish/default.vcl, run by a real varnishd in front of a stand-in.

The stand-in backend is a small http.server in a thread: every page answers
with the site's kind of Cache-Control and surrogate keys and a body that
counts the requests it got (so a hit and a miss are told apart), and it can
play "database down" (pages and /healthz 503) or be stopped outright.
"""

import http.client
import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from broadsheet.edge.varnish import free_port, vcl_render

pytestmark = [pytest.mark.varnish, pytest.mark.xdist_group("varnish")]

TOKEN = "test-purge-token-0123"
CACHEABLE = "public, max-age=30, s-maxage=86400, stale-while-revalidate=30, stale-if-error=86400"
SHORT = "public, max-age=0, s-maxage=1, stale-while-revalidate=1, stale-if-error=86400"
SWR = "public, max-age=0, s-maxage=1, stale-while-revalidate=2, stale-if-error=86400"


class StandIn:
    """The site, as far as the edge can tell."""

    def __init__(self):
        self.port = free_port()
        self.down = False  # the database: pages and /healthz answer 503
        self.hits = Counter()  # page requests per path (with query)
        self.seen = {}  # the last request headers per path
        self.release_stream = threading.Event()
        self.server = None
        self.connections = set()  # kept alive by Varnish between requests

    def start(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                standin.connections.add(self.connection)

            def finish(self):
                super().finish()
                standin.connections.discard(self.connection)

            def do_GET(self):
                standin.answer(self)

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                standin.answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        """Gone, like a stopped server: no listener and no open connection."""
        self.server.shutdown()
        self.server.server_close()
        for connection in list(self.connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def answer(self, request):
        url = urlsplit(request.path)
        query = parse_qs(url.query)
        if url.path == "/healthz":
            status, body = (503, b"database unavailable\n") if self.down else (200, b"ok\n")
            return self.send(request, status, body, {"Cache-Control": "no-store"})
        self.hits[request.path] += 1
        self.seen[request.path] = dict(request.headers)
        if self.down:
            return self.send(request, 503, b"database unavailable\n", {})
        if url.path.startswith("/realtime/"):
            return self.stream(request)
        headers = {"Cache-Control": CACHEABLE}
        if url.path.startswith("/short/"):
            headers["Cache-Control"] = SHORT
        if url.path.startswith("/swr/"):
            headers["Cache-Control"] = SWR
        keys = query.get("keys", ["story-1 section-2"])[0]
        headers[query.get("header", ["xkey"])[0]] = keys
        if url.path.startswith("/set-cookie/"):
            headers["Set-Cookie"] = "csrftoken=abc123; Path=/; SameSite=Lax"
        if url.path.startswith("/private/"):
            headers["Cache-Control"] = "private, max-age=60"
        body = f"{request.command} {request.path} #{self.hits[request.path]}\n".encode()
        self.send(request, 200, body, headers)

    def send(self, request, status, body, headers):
        request.send_response(status)
        headers = {"Content-Type": "text/plain; charset=utf-8", **headers}
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def stream(self, request):
        """An event stream that only ends when the test says so."""
        request.send_response(200)
        request.send_header("Content-Type", "text/event-stream")
        request.send_header("Cache-Control", "no-cache")
        request.send_header("Connection", "close")
        request.end_headers()
        request.wfile.write(b"data: first\n\n")
        request.wfile.flush()
        self.release_stream.wait(10)
        request.wfile.write(b"data: last\n\n")
        request.wfile.flush()
        request.close_connection = True


@pytest.fixture(scope="module")
def backend():
    standin = StandIn()
    standin.start()
    yield standin
    standin.stop()


@pytest.fixture(scope="module")
def edge(varnish, backend):
    return varnish(backend_port=backend.port, purge_token=TOKEN)


class Answer:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read().decode()

    def __getitem__(self, name):
        return self.headers.get(name)


def ask(edge, path, method="GET", headers=None, source=None, body=None):
    connection = http.client.HTTPConnection(
        edge.host, edge.port, timeout=10, source_address=(source, 0) if source else None
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return Answer(connection.getresponse())
    finally:
        connection.close()


def purge(edge, path="/", keys=None, token=TOKEN, source=None):
    headers = {}
    if token is not None:
        headers["X-Purge-Token"] = token
    if keys is not None:
        headers["xkey-purge"] = keys
    return ask(edge, path, "PURGE", headers, source)


def eventually(check, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def test_vcl_render_fills_every_placeholder_and_refuses_unsafe_values():
    vcl = vcl_render(backend_host="127.0.0.1", backend_port=8000, purge_token="abc")
    code = "".join(line for line in vcl.splitlines() if not line.lstrip().startswith("#"))
    assert "{{" not in code
    assert "{{PURGE_TOKEN}}" in vcl  # the header comment still documents it
    assert '.port = "8000";' in vcl and '"abc"' in vcl and '"Host: 127.0.0.1:8000"' in vcl
    with pytest.raises(ValueError):
        vcl_render(backend_host="127.0.0.1", backend_port=8000, purge_token='x"; }')
    with pytest.raises(ValueError):
        vcl_render(backend_host="127.0.0.1", backend_port=8000, purge_token="")


def test_miss_then_hit(edge, backend):
    first = ask(edge, "/story/miss-hit")
    second = ask(edge, "/story/miss-hit")
    assert (first.status, first["X-Cache"]) == (200, "MISS")
    assert (second.status, second["X-Cache"], second["X-Cache-Hits"]) == (200, "HIT", "1")
    assert second.body == first.body == "GET /story/miss-hit #1\n"
    assert backend.hits["/story/miss-hit"] == 1
    assert second["Age"] is not None


def test_purge_by_surrogate_key_drops_only_the_keyed_pages(edge, backend):
    pages = {
        "/p/one?keys=story-11+section-12": "MISS",
        "/p/two?keys=story-11": "MISS",
        "/p/three?keys=section-12,story-13": "MISS",
        "/p/other?keys=story-19+section-19": "HIT",
    }
    for path in pages:
        ask(edge, path)
        assert ask(edge, path)["X-Cache"] == "HIT"

    answer = purge(edge, keys="story-11 section-12")
    assert answer.status == 200
    # xkey counts per key: /p/one has both keys and counts twice.
    assert answer["X-Purged"] == "4"

    for path, expected in pages.items():
        assert ask(edge, path)["X-Cache"] == expected, path
    assert backend.hits["/p/other?keys=story-19+section-19"] == 1


def test_soft_purge_serves_the_old_copy_once_while_refetching(edge, backend):
    path = "/p/soft?keys=nf-1"
    ask(edge, path)
    assert ask(edge, path)["X-Cache"] == "HIT"
    answer = ask(edge, "/", "PURGE", {"X-Purge-Token": TOKEN, "xkey-softpurge": "nf-1"})
    assert (answer.status, answer["X-Purged"]) == (200, "1")
    stale = ask(edge, path)
    assert stale.body.endswith("#1\n"), stale.body
    assert eventually(lambda: ask(edge, path).body.endswith("#2\n"))
    assert backend.hits[path] == 2


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_purge_needs_the_token(edge, token):
    path = f"/p/guarded-{token}?keys=story-21"
    ask(edge, path)
    answer = purge(edge, keys="story-21", token=token)
    assert answer.status == 403
    assert answer["X-Purged"] is None
    url_purge = purge(edge, path, token=token)
    assert url_purge.status == 403
    assert ask(edge, path)["X-Cache"] == "HIT"


def test_purge_from_outside_the_acl_is_not_allowed(edge):
    ask(edge, "/p/acl?keys=story-22")
    # 127.0.0.2 is loopback too, but not in the purgers ACL.
    answer = purge(edge, keys="story-22", source="127.0.0.2")
    assert answer.status == 405
    assert ask(edge, "/p/acl?keys=story-22")["X-Cache"] == "HIT"


def test_url_purge(edge, backend):
    ask(edge, "/p/by-url")
    ask(edge, "/p/elsewhere")
    assert purge(edge, "/p/by-url").status == 200
    again = ask(edge, "/p/by-url")
    assert again["X-Cache"] == "MISS"
    assert again.body.endswith("#2\n")
    assert ask(edge, "/p/elsewhere")["X-Cache"] == "HIT"


def test_anonymous_cookies_never_reach_the_site(edge, backend):
    first = ask(edge, "/anon/page", headers={"Cookie": "csrftoken=abc; _ga=GA1.1"})
    second = ask(edge, "/anon/page", headers={"Cookie": "csrftoken=other"})
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert "Cookie" not in backend.seen["/anon/page"]


def test_a_session_passes_with_its_cookies(edge, backend):
    cookie = "csrftoken=abc; sessionid=s3ss10n"
    ask(edge, "/anon/shared")  # cached for everyone else
    first = ask(edge, "/anon/shared", headers={"Cookie": cookie})
    second = ask(edge, "/anon/shared", headers={"Cookie": cookie})
    assert first["X-Cache"] == second["X-Cache"] == "PASS"
    assert backend.hits["/anon/shared"] == 3
    assert backend.seen["/anon/shared"]["Cookie"] == cookie
    assert ask(edge, "/anon/shared").body.endswith("#1\n")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/pages/3/edit/",
        "/django-admin/",
        "/accounts/login/",
        "/readers/me/",
        "/ru/accounts/login/",
        "/es/readers/me/",
        "/ar/accounts/signup/",
        "/pt-br/accounts/login/",
    ],
)
def test_staff_and_reader_pages_pass(edge, backend, path):
    ask(edge, path)
    answer = ask(edge, path)
    assert answer["X-Cache"] == "PASS"
    assert backend.hits[path] == 2


def test_look_alike_paths_are_cached(edge):
    for path in ("/news/admin-story/", "/ru/news/accounts-audit/", "/readership/"):
        ask(edge, path)
        assert ask(edge, path)["X-Cache"] == "HIT", path


def test_post_passes(edge, backend):
    for _ in range(2):
        answer = ask(edge, "/post/form", "POST", body=b"a=1")
        assert answer["X-Cache"] == "PASS"
    assert backend.hits["/post/form"] == 2
    assert answer.body == "POST /post/form #2\n"


@pytest.mark.parametrize("path", ["/set-cookie/page", "/private/page"])
def test_personal_answers_are_not_cached(edge, backend, path):
    first = ask(edge, path)
    second = ask(edge, path)
    assert second.body.endswith("#2\n")
    assert second["X-Cache"] == "PASS"
    if path.startswith("/set-cookie/"):
        assert first["Set-Cookie"] and second["Set-Cookie"]


@pytest.mark.parametrize("header", ["xkey", "Surrogate-Key", "Cache-Tag"])
def test_surrogate_keys_are_used_but_not_shown(edge, header):
    path = f"/keys/{header}?header={header}&keys=story-31-{header}"
    for _ in range(2):
        answer = ask(edge, path)
        assert answer[header] is None
        assert answer["X-Broadsheet-SWR"] is None
    assert answer["X-Cache"] == "HIT"
    assert purge(edge, keys=f"story-31-{header}")["X-Purged"] == "1"
    assert ask(edge, path)["X-Cache"] == "MISS"


def test_campaign_parameters_do_not_split_the_cache(edge, backend):
    ask(edge, "/track/page?utm_source=x&id=1&fbclid=abc&utm_medium=social")
    answer = ask(edge, "/track/page?id=1&gclid=zzz")
    assert answer["X-Cache"] == "HIT"
    assert ask(edge, "/track/page?utm_campaign=a")["X-Cache"] == "MISS"
    assert ask(edge, "/track/page")["X-Cache"] == "HIT"
    assert set(backend.hits) >= {"/track/page?id=1", "/track/page"}
    assert not [path for path in backend.hits if "utm_" in path or "clid" in path]


def test_event_streams_are_piped_unbuffered(edge, backend):
    backend.release_stream.clear()
    connection = http.client.HTTPConnection(edge.host, edge.port, timeout=5)
    try:
        connection.request("GET", "/realtime/events")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream"
        # The first event arrives while the stream is still open.
        assert response.readline() == b"data: first\n"
        backend.release_stream.set()
        assert b"data: last" in response.read()
    finally:
        backend.release_stream.set()
        connection.close()


def test_stale_while_revalidate_only_while_healthy(edge, backend):
    ask(edge, "/swr/page")
    time.sleep(1.5)  # past s-maxage=1, within stale-while-revalidate=2
    stale = ask(edge, "/swr/page")
    assert stale.body.endswith("#1\n") and stale["X-Cache-Stale"] == "1"
    # The background fetch replaces it.
    assert eventually(lambda: ask(edge, "/swr/page").body.endswith("#2\n"), timeout=3)
    time.sleep(3.2)  # past stale-while-revalidate: kept, but not served stale
    fresh = ask(edge, "/swr/page")
    assert (fresh.body, fresh["X-Cache"]) == ("GET /swr/page #3\n", "MISS")


def assert_branded_503(answer):
    assert answer.status == 503
    assert answer["Retry-After"] == "30"
    assert answer["Cache-Control"] == "no-store"
    assert answer["Content-Type"].startswith("text/html")
    assert "Broadsheet" in answer.body and "We will be back in a moment" in answer.body
    assert "<link" not in answer.body and "src=" not in answer.body


def test_database_down_serves_stale_pages_then_recovers(edge, backend):
    assert ask(edge, "/short/front").body.endswith("#1\n")
    assert ask(edge, "/short/front")["X-Cache"] == "HIT"
    backend.down = True
    try:
        time.sleep(1.2)  # past s-maxage=1
        # Before the probe has noticed: the failed fetch is abandoned and
        # the stale copy served.
        stale = ask(edge, "/short/front")
        assert stale.status == 200
        assert stale.body.endswith("#1\n")
        assert (stale["X-Cache"], stale["X-Cache-Stale"]) == ("HIT", "1")
        assert_branded_503(ask(edge, "/down/never-cached"))

        # Once the probe says sick, Varnish stops asking the site at all.
        def unasked():
            path = f"/down/probe-{time.monotonic()}"
            return ask(edge, path).status == 503 and backend.hits[path] == 0

        assert eventually(unasked, timeout=8)
        time.sleep(1.2)  # well past stale-while-revalidate too
        stale = ask(edge, "/short/front")
        assert (stale.status, stale["X-Cache"]) == (200, "HIT")
        assert stale.body.endswith("#1\n")
        assert_branded_503(ask(edge, "/down/never-cached"))
    finally:
        backend.down = False

    # Back: a fresh copy replaces the stale one, uncached pages are served.
    assert eventually(lambda: not ask(edge, "/short/front").body.endswith("#1\n"))
    assert eventually(lambda: ask(edge, "/down/never-cached").status == 200)


def test_backend_stopped_serves_stale_pages_then_recovers(edge, backend):
    ask(edge, "/short/gone")
    backend.stop()
    try:
        time.sleep(1.2)
        stale = ask(edge, "/short/gone")
        assert (stale.status, stale["X-Cache"]) == (200, "HIT")
        assert stale.body.endswith("#1\n")
        assert_branded_503(ask(edge, "/gone/never-cached"))
        assert_branded_503(ask(edge, "/gone/form", "POST", body=b"a=1"))
    finally:
        backend.start()
    assert eventually(lambda: ask(edge, "/gone/never-cached").status == 200)
    assert eventually(lambda: not ask(edge, "/short/gone").body.endswith("#1\n"))
