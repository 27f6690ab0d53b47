"""POST /alerts/push/subscribe/ and /alerts/push/unsubscribe/: what is
stored, and every refusal a 4xx with its reason (never a 500)."""

import json

import pytest
from django.core.cache import cache

from broadsheet.alerts.models import PushSubscription
from broadsheet.alerts.validation import Invalid, endpoint_check, subscription_parse

from .push_service import FakeBrowser, b64u

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/alerts/push/subscribe/"
UNSUBSCRIBE = "/alerts/push/unsubscribe/"
ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _keys_and_fresh_limits(vapid):
    cache.clear()  # the per-IP counters live in the (per-process) cache


def post(client, url, data, *, origin=ORIGIN, content_type="application/json", **headers):
    body = data if isinstance(data, (bytes, str)) else json.dumps(data)
    if origin is not None:
        headers["HTTP_ORIGIN"] = origin
    return client.post(url, body, content_type=content_type, **headers)


def fcm_browser(name="a") -> FakeBrowser:
    return FakeBrowser(endpoint=f"https://fcm.googleapis.com/fcm/send/{name}")


def test_subscribe_stores_the_subscription_and_refreshes_it(client):
    browser = fcm_browser()
    data = {**browser.subscription(), "language": "ru"}
    response = post(client, SUBSCRIBE, data, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 201, response.content
    stored = PushSubscription.objects.get()
    assert (stored.endpoint, stored.language) == (browser.endpoint, "ru")
    assert stored.p256dh == data["keys"]["p256dh"] and stored.auth == data["keys"]["auth"]

    # The browser comes back with new keys: the same row, updated.
    renewed = FakeBrowser(endpoint=browser.endpoint)
    response = post(client, SUBSCRIBE, {**renewed.subscription(), "language": "xx"})
    assert response.status_code == 200 and response.json() == {"ok": True, "created": False}
    stored.refresh_from_db()
    assert stored.p256dh == renewed.subscription()["keys"]["p256dh"]
    assert stored.language == "en", "an unknown language falls back to the default"


def test_unsubscribe_removes_it(client):
    browser = fcm_browser()
    post(client, SUBSCRIBE, browser.subscription())
    response = post(client, UNSUBSCRIBE, {"endpoint": browser.endpoint})
    assert response.json() == {"ok": True, "removed": True}
    assert not PushSubscription.objects.exists()
    assert post(client, UNSUBSCRIBE, {"endpoint": browser.endpoint}).json()["removed"] is False


@pytest.mark.parametrize(
    ("origin", "fetch_site"),
    [
        (None, None),  # no Origin: not a browser's fetch from our page
        ("null", None),
        ("https://evil.example", None),
        (ORIGIN, "cross-site"),
        (ORIGIN, "same-site"),
    ],
)
def test_cross_site_requests_are_refused(client, origin, fetch_site):
    headers = {"HTTP_SEC_FETCH_SITE": fetch_site} if fetch_site else {}
    response = post(client, SUBSCRIBE, fcm_browser().subscription(), origin=origin, **headers)
    assert response.status_code == 403
    assert response.json()["error"] == "Only this site's pages may do this."
    assert not PushSubscription.objects.exists()


def test_the_public_origin_is_accepted(client, settings):
    settings.SITE_URL = "https://news.example"
    response = post(client, SUBSCRIBE, fcm_browser().subscription(), origin="https://news.example")
    assert response.status_code == 201


def test_a_form_post_is_refused(client):
    # What a cross-site <form> can send: no JSON content type.
    response = client.post(SUBSCRIBE, {"endpoint": "x"}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]


def test_get_is_not_allowed(client):
    assert client.get(SUBSCRIBE).status_code == 405


def test_too_large_a_body_is_refused(client):
    data = {**fcm_browser().subscription(), "padding": "x" * 5000}
    response = post(client, SUBSCRIBE, data)
    assert response.status_code == 413


def test_rate_limit_per_address(client, settings):
    settings.ALERTS_PUSH_SUBSCRIBES_PER_MINUTE = 3
    statuses = [
        post(
            client, SUBSCRIBE, fcm_browser(str(n)).subscription(), REMOTE_ADDR="203.0.113.9"
        ).status_code
        for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    other = post(client, SUBSCRIBE, fcm_browser("x").subscription(), REMOTE_ADDR="203.0.113.10")
    assert other.status_code == 201


def test_switched_off(client, settings):
    settings.ALERTS_PUSH_ENABLED = False
    assert post(client, SUBSCRIBE, fcm_browser().subscription()).status_code == 503


def _with(key: str, value):
    data = fcm_browser().subscription()
    target = data["keys"] if key in ("p256dh", "auth") else data
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "The body is not JSON."),
        (b"\xff\xfe", "The body is not JSON."),
        ("[1, 2]", "expected a JSON object"),
        ("null", "expected a JSON object"),
        ("[" * 5000 + "]" * 5000, None),  # too deep, or too large
        (_with("endpoint", ...), "endpoint: missing"),
        (_with("endpoint", 42), "endpoint: missing"),
        (_with("endpoint", "http://fcm.googleapis.com/fcm/send/a"), "endpoint: must be https"),
        (_with("endpoint", "https://fcm.googleapis.com/" + "a" * 1024), "endpoint: longer than"),
        (_with("endpoint", "https://evil.example/push"), "endpoint: not a known push service"),
        (_with("endpoint", "https://10.0.0.7/push"), "endpoint: a local or private address"),
        (_with("endpoint", "https://[fe80::1]/push"), "endpoint: a local or private address"),
        (_with("endpoint", "https://metadata.internal/x"), "endpoint: a local or private address"),
        (_with("endpoint", "https://u:p@fcm.googleapis.com/x"), "endpoint: not a URL"),
        (_with("endpoint", "https://fcm.googleapis.com/x\r\nX-Evil: 1"), "endpoint: not a URL"),
        (_with("endpoint", "https://fcm.googleapis.com:99999/x"), "endpoint: not a URL"),
        (_with("endpoint", "javascript:alert(1)"), "endpoint: not a URL"),
        (_with("keys", ...), "keys: missing"),
        (_with("keys", "abc"), "keys: missing"),
        (_with("p256dh", ...), "keys.p256dh: missing"),
        (_with("p256dh", "!!!"), "keys.p256dh: not base64url"),
        (_with("p256dh", b64u(b"\x04" + b"\x01" * 64)), "keys.p256dh: not a P-256 public key"),
        (_with("p256dh", b64u(b"\x04" * 33)), "keys.p256dh: must be 65 bytes, not 33"),
        (_with("auth", b64u(b"x" * 12)), "keys.auth: must be 16 bytes, not 12"),
        (_with("auth", 16), "keys.auth: missing"),
        (_with("expirationTime", "soon"), "expirationTime: must be a number or null"),
    ],
)
def test_bad_input_is_a_400_with_the_reason(client, data, reason):
    response = post(client, SUBSCRIBE, data)
    assert response.status_code in (400, 413), response.content
    assert response["Content-Type"] == "application/json"
    if reason is not None:
        assert response.status_code == 400
        assert response.json()["error"].startswith(reason)
    assert not PushSubscription.objects.exists()


def test_unsubscribe_checks_its_input_too(client):
    assert post(client, UNSUBSCRIBE, {"endpoint": None}).json()["error"] == "endpoint: missing"
    assert post(client, UNSUBSCRIBE, "[]").status_code == 400


def test_loopback_endpoints_only_where_allowed(settings):
    browser = FakeBrowser(endpoint="http://127.0.0.1:9/push/a")
    settings.ALERTS_PUSH_ALLOW_LOCAL_ENDPOINTS = True
    assert subscription_parse(browser.subscription()).endpoint == browser.endpoint
    settings.ALERTS_PUSH_ALLOW_LOCAL_ENDPOINTS = False
    for endpoint in (
        browser.endpoint,
        "https://127.0.0.1/push",
        "https://localhost/push",
        "https://[::1]/push",
        "https://192.168.1.4/push",
    ):
        with pytest.raises(Invalid):
            endpoint_check(endpoint)


def test_any_public_host_when_the_list_is_empty(settings):
    settings.ALERTS_PUSH_SERVICE_HOSTS = []
    assert endpoint_check("https://push.example.net/x") == "https://push.example.net/x"
    with pytest.raises(Invalid, match="local or private"):
        endpoint_check("https://169.254.169.254/latest")
    settings.ALERTS_PUSH_SERVICE_HOSTS = ["push.apple.com"]
    assert endpoint_check("https://web.push.apple.com/x")
    with pytest.raises(Invalid, match="known push service"):
        endpoint_check("https://evilpush.apple.com.example/x")
