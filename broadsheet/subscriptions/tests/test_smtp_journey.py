"""End to end over real SMTP (the `smtp_sink` fixture): subscribe, receive
the confirmation, follow its link, confirm, manage, unsubscribe in one click."""

import re

import pytest
from django.test import Client

from broadsheet.core.smtp_sink import message_html, message_text
from broadsheet.subscriptions.links import unsubscribe_url
from broadsheet.subscriptions.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_subscribe_confirm_manage_unsubscribe(smtp_sink, run_on_commit, settings, daily, breaking):
    settings.SITE_URL = "https://news.example.org"
    client = Client()
    response = run_on_commit(
        client.post,
        "/subscribe/",
        {"email": "Journey@Example.org", "name": "Jo", "newsletters": [daily.pk, breaking.pk]},
    )
    assert "Check your inbox" in response.content.decode()

    (message,) = smtp_sink.wait_for(1)
    assert smtp_sink.to("journey@example.org") == [message]
    assert message["Subject"] == "Confirm your subscription"
    text, html = message_text(message), message_html(message)
    assert "Hello Jo," in text and "Daily digest" in text and "Breaking news" in text
    link = re.search(r"https://news\.example\.org/subscriptions/confirm/[^/\s]+/", text).group(0)
    assert link in html
    assert set(Subscription.objects.values_list("status", flat=True)) == {"pending"}

    page = client.get(_path(link))
    assert page.status_code == 200 and "Confirm my subscription" in page.content.decode()
    assert set(Subscription.objects.values_list("status", flat=True)) == {"pending"}
    confirmed = client.post(_path(link))
    assert confirmed.status_code == 200
    assert set(Subscription.objects.values_list("status", flat=True)) == {"active"}
    manage = re.search(
        r'href="(https://[^"]+/subscriptions/preferences/[^"]+)"', confirmed.content.decode()
    )
    manage = _path(manage.group(1))

    assert client.get(manage).status_code == 200
    client.post(manage, {"action": "lists", "newsletters": [breaking.pk]})
    client.post(manage, {"action": "pause", "days": "30"})
    subscriber = Subscriber.objects.get()
    assert subscriber.paused_until is not None
    statuses = dict(Subscription.objects.values_list("newsletter__slug", "status"))
    assert statuses == {"daily-digest": "unsubscribed", "breaking-news": "active"}

    # The mail client's one-click POST: no cookie, no CSRF token.
    one_click = Client(enforce_csrf_checks=True).post(
        _path(unsubscribe_url(subscriber=subscriber, newsletter=breaking)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 200
    assert not Subscription.objects.active().exists()
    assert len(smtp_sink.messages) == 1  # nothing but the confirmation was ever sent


def test_already_subscribed_mail_over_smtp(smtp_sink, run_on_commit, daily):
    from broadsheet.subscriptions.factories import SubscriptionFactory

    SubscriptionFactory(newsletter=daily, subscriber__email="old@example.org")
    run_on_commit(
        Client().post, "/subscribe/", {"email": "old@example.org", "newsletters": [daily.pk]}
    )
    (message,) = smtp_sink.wait_for(1)
    assert message["Subject"] == "You're already subscribed"
    assert "/subscriptions/preferences/" in message_text(message)


def test_a_refused_address_breaks_nothing(smtp_sink, run_on_commit, daily):
    smtp_sink.refuse.add("nobody@example.org")
    response = run_on_commit(
        Client(raise_request_exception=False).post,
        "/subscribe/",
        {"email": "nobody@example.org", "newsletters": [daily.pk]},
    )
    # The immediate task backend runs the send in the request in tests; the
    # worker does in production. Either way the reader's answer is the same.
    assert response.status_code == 200
