"""Sending breaking-news alerts, end to end: a story is published, the
subscriptions get one push each at a real HTTP push service (push_service.py)
that checks VAPID and decrypts the body as a browser would."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from broadsheet.alerts.models import DeliveryStatus, PushAlert, PushDelivery, PushSubscription
from broadsheet.alerts.sending import LEASE, alert_fanout, deliveries_send
from broadsheet.alerts.services import push_subscription_save
from broadsheet.alerts.tasks import push_alerts_resume_run
from broadsheet.alerts.validation import subscription_parse
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.live_events import stories_announce_run
from broadsheet.news.models import ArticlePage
from broadsheet.realtime.models import Event

pytestmark = pytest.mark.django_db


def subscribe(browser, language="en"):
    subscription, _ = push_subscription_save(
        info=subscription_parse(browser.subscription()), language=language
    )
    return subscription


def draft(parent, **fields) -> ArticlePage:
    story = ArticlePageFactory.build(
        live=False,
        published_at=fields.pop("published_at", None),
        first_published_at=None,
        last_published_at=None,
        lead_photo=PhotoFactory(),
        **fields,
    )
    parent.add_child(instance=story)
    story.save_revision()
    return story


def publish(story, capture):
    with capture(execute=True):
        story.save_revision().publish()
    story.refresh_from_db()
    return story


def test_a_breaking_story_reaches_every_browser_once(
    world, push_service, vapid, django_capture_on_commit_callbacks
):
    anna, boris = push_service.browser("anna"), push_service.browser("boris")
    subscribe(anna)
    subscribe(boris, language="ru")
    story = draft(world, title="Dam breach forces evacuations", breaking=True)

    publish(story, django_capture_on_commit_callbacks)
    # Boris reads the Russian edition: an English story is not his edition's.
    received = push_service.wait_for(1)

    assert [item.errors for item in received] == [[]]
    by_path = {item.path: item for item in received}
    expected = {
        "title": "Dam breach forces evacuations",
        "body": story.standfirst,
        "url": f"http://127.0.0.1:8000/world/{story.slug}/",
        "tag": f"story-{story.pk}",
        "icon": "http://127.0.0.1:8000/static/img/logo.png",
    }
    assert by_path[anna.path].payload == expected
    assert boris.path not in by_path
    item = by_path[anna.path]
    assert item.vapid_key == vapid, "signed with the site's key"
    assert item.claims["aud"] == push_service.origin
    assert item.claims["sub"] == "mailto:desk@news.example"
    assert item.headers["urgency"] == "high"
    assert item.headers["topic"] == f"story-{story.pk}"
    assert int(item.headers["ttl"]) > 0

    # Republishing (an edit, a correction) never alerts again.
    story.title = "Dam breach forces evacuations downstream"
    publish(story, django_capture_on_commit_callbacks)
    publish(story, django_capture_on_commit_callbacks)
    push_alerts_resume_run()
    assert len(push_service.received) == 1
    assert PushAlert.objects.count() == 1
    assert set(PushDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert PushSubscription.objects.filter(last_success_at__isnull=False).count() == 1


def test_an_ordinary_story_alerts_nobody(world, push_service, django_capture_on_commit_callbacks):
    subscribe(push_service.browser("anna"))
    publish(draft(world, breaking=False), django_capture_on_commit_callbacks)
    push_alerts_resume_run()
    assert push_service.received == []
    assert not PushAlert.objects.exists()
    assert not Event.objects.filter(stream="breaking").exists()


def test_an_embargoed_breaking_story_alerts_only_when_public(
    world, push_service, django_capture_on_commit_callbacks
):
    anna = push_service.browser("anna")
    subscribe(anna)
    lifts = timezone.now() + timedelta(hours=1)
    story = publish(
        draft(world, breaking=True, published_at=lifts), django_capture_on_commit_callbacks
    )
    assert story.live and not story.is_public
    with django_capture_on_commit_callbacks(execute=True):
        stories_announce_run()
        push_alerts_resume_run()
    assert push_service.received == []
    assert not Event.objects.filter(stream="breaking").exists()

    with time_machine.travel(lifts + timedelta(seconds=30)):
        with django_capture_on_commit_callbacks(execute=True):
            stories_announce_run()
        with django_capture_on_commit_callbacks(execute=True):
            stories_announce_run()
    [item] = push_service.wait_for(1)
    assert item.errors == [] and item.payload["tag"] == f"story-{story.pk}"


def test_a_gone_subscription_is_deleted(world, push_service, django_capture_on_commit_callbacks):
    anna, gone = push_service.browser("anna"), push_service.browser("gone")
    subscribe(anna)
    subscribe(gone)
    push_service.statuses[gone.path] = 410
    publish(draft(world, breaking=True), django_capture_on_commit_callbacks)
    push_service.wait_for(2)
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [anna.endpoint]


def test_a_busy_push_service_is_retried_later_by_the_scheduler_pass(
    world, push_service, django_capture_on_commit_callbacks
):
    anna = push_service.browser("anna")
    subscribe(anna)
    push_service.statuses[anna.path] = 429
    publish(draft(world, breaking=True), django_capture_on_commit_callbacks)
    push_service.wait_for(1)
    delivery = PushDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status == 429
    # Retry-After: 60 is honoured: nothing is sent again before it.
    assert delivery.next_attempt_at >= timezone.now() + timedelta(seconds=55)
    push_alerts_resume_run()
    assert len(push_service.received) == 1

    del push_service.statuses[anna.path]
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert push_alerts_resume_run() == 1
    assert len(push_service.received) == 2
    assert PushDelivery.objects.get().status == DeliveryStatus.SENT
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        push_alerts_resume_run()
        assert PushAlert.objects.get().finished_at is not None


def test_another_refusal_counts_a_failure(world, push_service, django_capture_on_commit_callbacks):
    anna = push_service.browser("anna")
    subscription = subscribe(anna)
    push_service.statuses[anna.path] = 403
    publish(draft(world, breaking=True), django_capture_on_commit_callbacks)
    push_service.wait_for(1)
    subscription.refresh_from_db()
    assert subscription.failures == 1
    assert PushDelivery.objects.get().status == DeliveryStatus.FAILED


def test_a_killed_worker_is_resumed_without_sending_twice(world, push_service, settings):
    """The fan-out ran and a worker claimed a batch, sent one push and died:
    the scheduler's pass sends the rest once the lease has passed, and never
    the one already marked sent."""
    settings.ALERTS_PUSH_BATCH_SIZE = 2
    browsers = [push_service.browser(f"reader-{n}") for n in range(3)]
    for browser in browsers:
        subscribe(browser)
    story = draft(world, breaking=True)
    # Published without running the after-commit fan-out: the worker "dies".
    story.save_revision().publish()
    alert = PushAlert.objects.get()
    batches = alert_fanout(alert_id=alert.pk)
    assert [len(batch) for batch in batches] == [2, 1]
    assert alert_fanout(alert_id=alert.pk) == [], "queued batches are not handed out again"

    # The first batch: one row sent, then the worker was killed holding both.
    first, second = batches[0]
    assert deliveries_send(alert_id=alert.pk, delivery_ids=[first])["sent"] == 1
    PushDelivery.objects.filter(pk=second).update(lease_until=timezone.now() + LEASE, attempts=1)
    assert deliveries_send(alert_id=alert.pk, delivery_ids=[first, second])["sent"] == 0

    with time_machine.travel(timezone.now() + LEASE + timedelta(minutes=3)):
        assert push_alerts_resume_run() == 1
    push_service.wait_for(3)
    assert sorted(item.path for item in push_service.received) == sorted(b.path for b in browsers)
    assert all(item.errors == [] for item in push_service.received)
    assert PushDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 3


def test_one_connection_serves_a_batch(world, push_service):
    """The requests Session keeps the connection to the push service open."""
    for n in range(5):
        subscribe(push_service.browser(f"reader-{n}"))
    draft(world, breaking=True).save_revision().publish()
    alert = PushAlert.objects.get()
    for batch in alert_fanout(alert_id=alert.pk):
        deliveries_send(alert_id=alert.pk, delivery_ids=batch)
    received = push_service.wait_for(5)
    assert all(item.errors == [] for item in received)
    assert len({item.client_port for item in received}) == 1


def test_a_withdrawn_story_is_not_sent(world, push_service):
    subscribe(push_service.browser("anna"))
    story = draft(world, breaking=True)
    story.save_revision().publish()
    alert = PushAlert.objects.get()
    ArticlePage.objects.get(pk=story.pk).unpublish()
    for batch in alert_fanout(alert_id=alert.pk):
        deliveries_send(alert_id=alert.pk, delivery_ids=batch)
    assert push_service.received == []
    assert PushDelivery.objects.get().status == DeliveryStatus.FAILED


def test_nothing_is_sent_without_keys(
    world, push_service, settings, django_capture_on_commit_callbacks
):
    subscribe(push_service.browser("anna"))
    settings.ALERTS_PUSH_ENABLED = False
    publish(draft(world, breaking=True), django_capture_on_commit_callbacks)
    assert push_alerts_resume_run() == 0
    assert push_service.received == []
    # The banner still shows it: the alert row exists.
    assert PushAlert.objects.count() == 1
