import json

import pytest

from broadsheet.mailings.factories import subscribers_add
from broadsheet.mailings.webhooks import signature_for
from broadsheet.subscriptions.models import Subscription, SubscriptionStatus

URL = "/mailings/webhooks/feedback/"
SECRET = "s3cret-for-tests"


@pytest.fixture
def secret(settings, db):
    settings.MAILINGS_WEBHOOK_SECRET = SECRET
    return SECRET


def post(client, payload, *, secret=SECRET, signature=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {}
    if secret is not None:
        headers["HTTP_X_BROADSHEET_SIGNATURE"] = signature or signature_for(body, secret)
    return client.post(URL, body, content_type="application/json", **headers)


def test_off_without_a_secret(client, db, settings):
    settings.MAILINGS_WEBHOOK_SECRET = ""
    assert post(client, {"type": "bounce", "email": "a@example.org"}).status_code == 404


def test_a_complaint_disables_and_unsubscribes_everywhere(
    client, secret, digest_list, breaking_list
):
    (ann,) = subscribers_add(newsletter=digest_list, email="ann@example.org")
    Subscription.objects.create(subscriber=ann, newsletter=breaking_list, status="active")
    response = post(
        client,
        [{"type": "complaint", "email": "Ann@Example.org"}, {"type": "bounce", "email": "x@y.org"}],
    )
    assert response.status_code == 200
    assert response.json() == {"disabled": 1, "unknown": 1}
    ann.refresh_from_db()
    assert ann.disabled_reason == "complaint" and ann.disabled_at
    assert set(ann.subscriptions.values_list("status", flat=True)) == {
        SubscriptionStatus.UNSUBSCRIBED
    }


def test_a_single_bounce_report(client, secret, digest_list):
    (ann,) = subscribers_add(newsletter=digest_list, email="ann@example.org")
    assert post(client, {"type": "bounce", "email": "ann@example.org"}).status_code == 200
    ann.refresh_from_db()
    assert ann.disabled_reason == "bounce"


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"secret": None}, "header is missing"),
        ({"secret": "wrong"}, "does not match"),
        ({"signature": "sha256=00"}, "does not match"),
    ],
)
def test_unauthenticated_requests_are_refused(client, secret, digest_list, kwargs, reason):
    (ann,) = subscribers_add(newsletter=digest_list, email="ann@example.org")
    response = post(client, {"type": "complaint", "email": "ann@example.org"}, **kwargs)
    assert response.status_code == 401 and reason in response.json()["error"]
    ann.refresh_from_db()
    assert ann.disabled_reason == ""


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"{not json", "not JSON"),
        ([], "between 1 and"),
        ({"type": "spam", "email": "a@example.org"}, '"type"'),
        ({"type": "bounce", "email": "not an address"}, '"email"'),
        ({"type": "bounce", "email": "a@example.org\r\nBcc: x@y.org"}, '"email"'),
        (["x"], "not an object"),
    ],
)
def test_bad_reports_get_a_400_with_the_reason(client, secret, payload, reason):
    response = post(client, payload)
    assert response.status_code == 400 and reason in response.json()["error"]


def test_get_is_not_allowed(client, secret):
    assert client.get(URL).status_code == 405
