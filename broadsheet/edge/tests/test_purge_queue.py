"""The purge queue: sent to the configured edge, retried with backoff while
it fails, shown in the admin, never in the editor's way."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from broadsheet.edge.models import PendingPurge
from broadsheet.edge.services import edge_keys_purge, edge_purges_send

pytestmark = pytest.mark.django_db


class EdgeStandIn:
    """Records what purgers send; answers `status` (500: an edge in trouble)."""

    def __init__(self):
        self.requests = []
        self.status = 200
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, dict(self.headers), body))
                payload = json.dumps({"success": outer.status == 200}).encode()
                self.send_response(outer.status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_PURGE = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def standin():
    edge = EdgeStandIn()
    yield edge
    edge.close()


@pytest.fixture
def varnish_settings(settings, standin):
    settings.BROADSHEET_EDGE_BACKEND = "varnish"
    settings.BROADSHEET_EDGE_URLS = [standin.url]
    settings.BROADSHEET_EDGE_PURGE_TOKEN = "s3cret"
    return settings


def test_keys_go_to_varnish_with_the_token_hard_and_soft_apart(varnish_settings, standin):
    edge_keys_purge(keys=["p1", "lf1"])
    edge_keys_purge(keys=["nf1"], soft=True)
    assert edge_purges_send() == 3
    sent = {(h.get("xkey-purge"), h.get("xkey-softpurge")) for _, _, h, _ in standin.requests}
    assert sent == {("lf1 p1", None), (None, "nf1")}
    assert all(h["X-Purge-Token"] == "s3cret" for _, _, h, _ in standin.requests)
    assert {m for m, *_ in standin.requests} == {"PURGE"}
    assert not PendingPurge.objects.exists()


def test_a_failing_edge_keeps_the_keys_and_backs_off_then_recovers(varnish_settings, standin):
    standin.status = 500
    edge_keys_purge(keys=["p1"])
    now = timezone.now()
    assert edge_purges_send(now=now) == 0
    row = PendingPurge.objects.get(key="p1")
    assert row.attempts == 1 and row.failing_since == now
    assert row.next_attempt_at == now + timedelta(seconds=1)
    assert "HTTP 500" in row.last_error
    # Not due yet: nothing is sent.
    standin.requests.clear()
    assert edge_purges_send(now=now) == 0 and not standin.requests
    later = now + timedelta(seconds=2)
    assert edge_purges_send(now=later) == 0
    row.refresh_from_db()
    assert row.attempts == 2 and row.failing_since == now
    assert row.next_attempt_at == later + timedelta(seconds=2)
    standin.status = 200
    assert edge_purges_send(now=later + timedelta(seconds=3)) == 1
    assert not PendingPurge.objects.exists()


def test_an_unreachable_edge_is_a_failure_not_an_error(settings):
    settings.BROADSHEET_EDGE_BACKEND = "varnish"
    settings.BROADSHEET_EDGE_URLS = ["http://127.0.0.1:9"]
    edge_keys_purge(keys=["p1"])
    assert edge_purges_send() == 0
    assert PendingPurge.objects.get(key="p1").failing_since is not None


def test_a_key_asked_for_again_during_a_send_stays_for_the_next(varnish_settings, standin):
    edge_keys_purge(keys=["p1"])
    original = PendingPurge.objects.get(key="p1").requested_at

    from broadsheet.edge import backends

    real = backends.VarnishBackend.purge

    def purge_and_change(self, keys, *, soft):
        real(self, keys, soft=soft)
        PendingPurge.objects.filter(key="p1").update(requested_at=original + timedelta(seconds=1))

    backends.VarnishBackend.purge = purge_and_change
    try:
        edge_purges_send()
    finally:
        backends.VarnishBackend.purge = real
    assert PendingPurge.objects.filter(key="p1").exists()


def test_without_an_edge_the_queue_empties_itself(settings):
    settings.BROADSHEET_EDGE_BACKEND = ""
    edge_keys_purge(keys=["p1"])
    edge_purges_send()
    assert not PendingPurge.objects.exists()


def test_publishing_sends_after_commit(
    varnish_settings, standin, world, django_capture_on_commit_callbacks
):
    from broadsheet.news.factories import ArticlePageFactory

    story = ArticlePageFactory(parent=world)
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    keys = " ".join(h.get("xkey-purge") or "" for _, _, h, _ in standin.requests)
    assert f"p{story.pk}" in keys.split()


def test_fastly_and_cloudflare_get_their_own_api_calls(settings, standin):
    settings.BROADSHEET_EDGE_API_URL = standin.url
    settings.BROADSHEET_EDGE_BACKEND = "fastly"
    settings.FASTLY_API_TOKEN, settings.FASTLY_SERVICE_ID = "ft", "svc"
    edge_keys_purge(keys=["p1", "p2"])
    edge_keys_purge(keys=["nf1"], soft=True)
    assert edge_purges_send() == 3
    (hard, soft) = sorted(standin.requests, key=lambda r: "Fastly-Soft-Purge" in r[2])
    assert hard[:2] == ("POST", "/service/svc/purge")
    assert hard[2]["Surrogate-Key"] == "p1 p2" and hard[2]["Fastly-Key"] == "ft"
    assert soft[2]["Fastly-Soft-Purge"] == "1"

    standin.requests.clear()
    settings.BROADSHEET_EDGE_BACKEND = "cloudflare"
    settings.CLOUDFLARE_API_TOKEN, settings.CLOUDFLARE_ZONE_ID = "ct", "zone"
    edge_keys_purge(keys=[f"p{i}" for i in range(45)])
    assert edge_purges_send() == 45
    assert [r[1] for r in standin.requests] == ["/client/v4/zones/zone/purge_cache"] * 2
    assert standin.requests[0][2]["Authorization"] == "Bearer ct"
    assert sum(len(json.loads(r[3])["tags"]) for r in standin.requests) == 45


def test_the_dashboard_says_since_when_purges_fail(admin_client, varnish_settings, standin, home):
    assert b"Edge purge failing" not in admin_client.get("/admin/").content
    standin.status = 503
    edge_keys_purge(keys=["p1"])
    edge_purges_send()
    page = admin_client.get("/admin/").content.decode()
    assert "Edge purge failing since" in page
    assert "HTTP 503" in page


def test_one_send_drains_a_backlog_in_batches_oldest_first(varnish_settings, standin, monkeypatch):
    from broadsheet.edge import services

    monkeypatch.setattr(services, "BATCH", 2)
    for index in range(5):
        edge_keys_purge(keys=[f"p{index}"])
    assert edge_purges_send() == 5
    sent = [h["xkey-purge"] for _, _, h, _ in standin.requests]
    assert sent == ["p0 p1", "p2 p3", "p4"]
    assert not PendingPurge.objects.exists()


def test_a_key_asked_for_again_during_its_backoff_is_due_at_once(varnish_settings, standin):
    standin.status = 500
    edge_keys_purge(keys=["p1"])
    edge_purges_send()
    assert PendingPurge.objects.get(key="p1").next_attempt_at > timezone.now()
    standin.status = 200
    edge_keys_purge(keys=["p1"])
    assert edge_purges_send() == 1
    assert not PendingPurge.objects.exists()


def test_one_waiting_task_is_enough_for_any_number_of_changes(
    settings, varnish_settings, world, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from broadsheet.edge.tasks import edge_purge_task
    from broadsheet.news.factories import ArticlePageFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = DBTaskResult.objects.filter(task_path=edge_purge_task.module_path)
    for _ in range(3):
        story = ArticlePageFactory(parent=world, live=False)
        with django_capture_on_commit_callbacks(execute=True):
            story.save_revision().publish()
    assert queued.count() == 1
    # Once it runs, it may have read the queue before the next change: another is queued.
    queued.update(status="RUNNING")
    story = ArticlePageFactory(parent=world, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    assert queued.count() == 2
    assert queued.filter(status="READY").count() == 1
