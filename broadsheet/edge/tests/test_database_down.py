"""The database stopped under Varnish (issue 14), end to end: the site runs
as its own server process on PostgreSQL through a gate the test closes.

While it is closed: a page Varnish has is served (even one a soft purge made
stale: stale-if-error), a page it never had is a 503 with Retry-After, a
write is a clear 503 and saves nothing; when it opens again, the same
server process serves fresh pages and takes writes, without a restart.
"""

import os
import time
from urllib.parse import urlsplit

import pytest
from django.db import connection

from broadsheet.core.surrogate import page_key
from broadsheet.core.testing import postgres_url_of_test_database
from broadsheet.news.factories import ArticlePageFactory, SectionPageFactory, front_page_install
from broadsheet.news.tests.browser_fixtures import _free_port, server_running

from .drill_http import request, signup, signup_form
from .gate import TcpGate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.varnish,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
    pytest.mark.xdist_group("varnish"),
]
TOKEN = "down-drill-token"


@pytest.fixture
def gate():
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL does not name a PostgreSQL database")
    db = connection.settings_dict
    gate = TcpGate(upstream=(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432))).open()
    yield gate
    gate.close()


@pytest.fixture
def site(gate, tmp_path):
    """The site's server process, its database behind the gate."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings.test",
        "DATABASE_URL": postgres_url_of_test_database(host="127.0.0.1", port=gate.port),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # A stale copy is past its stale-while-revalidate within the drill:
        # what Varnish serves then is stale-if-error's.
        "BROADSHEET_CACHE_STALE_WHILE_REVALIDATE": "1",
        "PYTHONUNBUFFERED": "1",
    }
    with server_running(port, env, tmp_path / "site.log"):
        yield port


def until(check, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    return check()


def test_the_database_stopped_under_varnish_and_back(gate, site, varnish):
    home = front_page_install()
    section = SectionPageFactory(parent=home, title="World", slug="world")
    cached = ArticlePageFactory(parent=section, title="Harbour reopens after storm")
    stale = ArticlePageFactory(parent=section, title="Council votes on budget")
    never = ArticlePageFactory(parent=section, title="Late goal wins derby")
    edge = varnish(backend_port=site, purge_token=TOKEN, probe_host="127.0.0.1")
    host, port = urlsplit(edge.url).hostname, urlsplit(edge.url).port

    def get(path):
        return request(host, port, "GET", path)

    for story in (cached, stale):
        assert get(story.url)[0] == 200
        assert get(story.url)[1]["x-cache"] == "HIT"
    # A stale copy: the edge must ask the site for it again before serving it fresh.
    soft = {"xkey-softpurge": page_key(stale.pk), "X-Purge-Token": TOKEN}
    assert request(host, port, "PURGE", "/", headers=soft)[0] == 200
    csrf, cookie = signup_form(host, port)

    gate.close()
    # Past the stale copy's stale-while-revalidate, and the probe has seen the site fail.
    time.sleep(3)
    try:
        status, headers, body = get(cached.url)
        assert (status, headers["x-cache"]) == (200, "HIT")
        assert cached.title in body
        status, headers, body = get(stale.url)
        assert status == 200 and stale.title in body, (status, headers)

        status, headers, body = get(never.url)
        assert status == 503 and headers["retry-after"] == "30"
        assert "back in a moment" in body

        status, headers, body = signup(host, port, csrf, cookie, edge.url)
        assert status == 503 and headers["retry-after"] == "30"
        assert "back in a moment" in body.lower()
    finally:
        gate.open()

    # Back without a restart: the probe sees the site healthy again, the
    # page never cached is served, and a write goes through.
    assert until(lambda: get(never.url)[0] == 200), get(never.url)[:2]
    assert never.title in get(never.url)[2]
    from broadsheet.accounts.models import User

    assert not User.objects.filter(email="down@example.org").exists()
    status, headers, body = signup(host, port, *signup_form(host, port), edge.url)
    assert status == 302, body[:2000]
    assert User.objects.filter(email="down@example.org").exists()
