from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from broadsheet.subscriptions import services
from broadsheet.subscriptions.factories import SubscriberFactory, SubscriptionFactory
from broadsheet.subscriptions.models import Subscriber, Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db


def _subscribe(run_on_commit, email, lists, **kwargs):
    return run_on_commit(services.subscribe_request, email=email, newsletters=lists, **kwargs)


def test_new_address_gets_pending_subscriptions_and_one_confirmation(run_on_commit, lists):
    outcome = _subscribe(run_on_commit, "Ann@Example.org", lists, name="Ann", language="en")
    assert outcome.sent == "confirm"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ann@example.org"
    assert subscriber.name == "Ann"
    assert set(subscriber.subscriptions.values_list("status", flat=True)) == {"pending"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@example.org"]
    assert "/subscriptions/confirm/" in mail.outbox[0].body


def test_nothing_is_sent_before_commit(django_capture_on_commit_callbacks, daily):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.subscribe_request(email="a@example.org", newsletters=[daily])
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_confirm_activates_and_applies_name(run_on_commit, daily, breaking):
    existing = SubscriberFactory(email="b@example.org", name="Old")
    _subscribe(run_on_commit, "b@example.org", [daily], name="New name", language="ru")
    assert Subscriber.objects.get().name == "Old"  # only the owner's confirmation renames
    token = mail.outbox[0].body.split("/subscriptions/confirm/")[1].split("/")[0]
    request = services.confirm_request_from_token(token=token)
    confirmed = services.subscription_confirm(request=request)
    assert confirmed == [daily]
    existing.refresh_from_db()
    assert existing.name == "New name"
    assert existing.language == "ru"
    row = Subscription.objects.get()
    assert row.status == SubscriptionStatus.ACTIVE
    assert row.confirmed_at is not None
    # Idempotent.
    assert services.subscription_confirm(request=request) == [daily]
    assert Subscription.objects.count() == 1


def test_all_lists_active_sends_already_subscribed_and_changes_nothing(run_on_commit, daily):
    row = SubscriptionFactory(newsletter=daily, subscriber__email="c@example.org")
    before = (row.status, row.confirmed_at)
    outcome = _subscribe(run_on_commit, "C@example.org", [daily])
    assert outcome.sent == "already"
    row.refresh_from_db()
    assert (row.status, row.confirmed_at) == before
    assert len(mail.outbox) == 1
    assert "/subscriptions/preferences/" in mail.outbox[0].body
    assert "/subscriptions/confirm/" not in mail.outbox[0].body


def test_some_new_lists_are_confirmed_only(run_on_commit, daily, breaking):
    SubscriptionFactory(newsletter=daily, subscriber__email="d@example.org")
    outcome = _subscribe(run_on_commit, "d@example.org", [daily, breaking])
    assert outcome.sent == "confirm"
    statuses = dict(Subscription.objects.values_list("newsletter__slug", "status"))
    assert statuses == {"daily-digest": "active", "breaking-news": "pending"}


def test_one_row_per_list_and_resubscribe_goes_pending(run_on_commit, daily):
    subscriber = SubscriberFactory(email="e@example.org")
    SubscriptionFactory(subscriber=subscriber, newsletter=daily)
    services.subscription_unsubscribe(subscriber=subscriber)
    row = Subscription.objects.get()
    assert row.status == "unsubscribed" and row.unsubscribed_at is not None
    _subscribe(run_on_commit, "e@example.org", [daily])
    row.refresh_from_db()
    assert row.status == "pending"
    assert Subscription.objects.count() == 1
    with pytest.raises(IntegrityError):
        Subscription.objects.create(subscriber=subscriber, newsletter=daily)


def test_rate_limit_per_address(run_on_commit, settings, daily):
    settings.SUBSCRIPTIONS_RATE_PER_ADDRESS = 2
    for _ in range(2):
        _subscribe(run_on_commit, "f@example.org", [daily], ip="10.0.0.1")
    mail.outbox.clear()
    with pytest.raises(services.SubscribeRefused) as refused:
        _subscribe(run_on_commit, "F@example.org", [daily], ip="10.0.0.2")
    assert refused.value.status == 429
    assert "try again in 60 minutes" in refused.value.message
    assert mail.outbox == []
    # Another address from the same IP still works.
    _subscribe(run_on_commit, "g@example.org", [daily], ip="10.0.0.1")
    assert len(mail.outbox) == 1


def test_rate_limit_per_ip_and_it_expires(run_on_commit, settings, daily):
    settings.SUBSCRIPTIONS_RATE_PER_IP = 3
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(3):
            _subscribe(run_on_commit, f"h{n}@example.org", [daily], ip="10.0.0.9")
        clock.shift(timedelta(minutes=20))
        with pytest.raises(services.SubscribeRefused) as refused:
            _subscribe(run_on_commit, "h9@example.org", [daily], ip="10.0.0.9")
        assert "40 minutes" in refused.value.message
        assert not Subscriber.objects.filter(email="h9@example.org").exists()
        clock.shift(timedelta(minutes=41))
        _subscribe(run_on_commit, "h9@example.org", [daily], ip="10.0.0.9")
    assert Subscriber.objects.filter(email="h9@example.org").exists()


def test_confirm_token_expires_and_dies_with_the_key(settings, daily):
    subscriber = SubscriberFactory()
    token = services.confirm_token(subscriber=subscriber, newsletter_ids=[daily.pk])
    assert services.confirm_request_from_token(token=token) is not None
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert services.confirm_request_from_token(token=token) is None
    settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = 30
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert services.confirm_request_from_token(token=token) is not None
    assert services.confirm_request_from_token(token=token[:-2] + "xx") is None
    assert services.confirm_request_from_token(token="") is None
    assert services.confirm_request_from_token(token="a" * 5000) is None
    services.subscriber_delete(subscriber=subscriber)
    assert services.confirm_request_from_token(token=token) is None


def test_member_subscriber_links_existing_and_follows_a_changed_address(daily):
    from broadsheet.discussions.factories import reader_verified

    user = reader_verified(email="reader@example.org")
    existing = SubscriberFactory(email="reader@example.org")
    subscriber = services.member_subscriber(user=user, email="reader@example.org")
    assert subscriber == existing and subscriber.user == user
    services.member_toggle(subscriber=subscriber, newsletter=daily, on=True)
    assert Subscription.objects.active().get().subscriber == subscriber
    moved = services.member_subscriber(user=user, email="New@example.org")
    assert moved.pk == subscriber.pk and moved.email == "new@example.org"
    services.member_toggle(subscriber=subscriber, newsletter=daily, on=False)
    assert not Subscription.objects.active().exists()


def test_preferences_pause_resume_and_delete(daily, breaking):
    subscriber = SubscriberFactory()
    SubscriptionFactory(subscriber=subscriber, newsletter=daily)
    services.preferences_lists_set(subscriber=subscriber, newsletters=[breaking])
    statuses = dict(subscriber.subscriptions.values_list("newsletter__slug", "status"))
    assert statuses == {"daily-digest": "unsubscribed", "breaking-news": "active"}
    services.subscriber_pause(subscriber=subscriber, days=14)
    assert subscriber.paused_until > timezone.now() + timedelta(days=13)
    with pytest.raises(services.SubscribeRefused):
        services.subscriber_pause(subscriber=subscriber, days=3)
    services.subscriber_resume(subscriber=subscriber)
    assert subscriber.paused_until is None
    services.subscriber_delete(subscriber=subscriber)
    assert not Subscriber.objects.exists() and not Subscription.objects.exists()


def test_pending_prune(daily):
    old = SubscriberFactory(email="old@example.org")
    fresh = SubscriberFactory(email="fresh@example.org")
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        SubscriptionFactory(subscriber=old, newsletter=daily, status="pending", confirmed_at=None)
        Subscription.objects.update(requested_at=timezone.now())
        Subscriber.objects.filter(pk=old.pk).update(created_at=timezone.now())
    SubscriptionFactory(
        subscriber=fresh,
        newsletter=daily,
        status="pending",
        confirmed_at=None,
        requested_at=timezone.now(),
    )
    assert services.pending_prune_run() == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["fresh@example.org"]
