"""Sending an alert to every subscribed browser, resumably.

`alert_fanout` gives every subscription its `PushDelivery` row (unique per
alert and subscription; safe to run again). `deliveries_send` sends a batch:
it *claims* the rows (a lease: pending, due, not held by a live worker),
sends each with pywebpush's WebPusher over one shared requests Session, and
marks each sent — so a worker killed mid-batch leaves rows that another
claims when the lease passes, and a row marked sent is never sent again.
(A worker killed between the push service's 201 and the mark resends that
one push: the notification's `tag` makes the browser show it once.)

Answers: 2xx sent; 404/410 the subscription is gone (deleted, with its rows);
429/5xx or no answer: retry later with backoff (Retry-After honoured) until
the alert is older than ALERTS_PUSH_TTL; other 4xx a failure counted on the
subscription (deleted after MAX_FAILURES in a row).
"""

import json
import logging
import threading
import uuid
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db.models import F, Q
from django.templatetags.static import static
from django.utils import timezone
from pywebpush import WebPusher

from broadsheet.core.origin import absolute_url, page_full_url
from broadsheet.news.models import ArticlePage

from .models import DeliveryStatus, PushAlert, PushDelivery, PushSubscription
from .vapid import vapid_keys

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)
# The scheduler's pass leaves a queued batch alone this long (a busy worker).
QUEUED_GRACE = timedelta(minutes=2)
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 30 * 60
MAX_ATTEMPTS = 8
MAX_FAILURES = 5
REQUEST_TIMEOUT = 10
FANOUT_CHUNK = 1000

_local = threading.local()


def _session() -> requests.Session:
    # One per worker thread: connections to a push service (most browsers
    # share two or three) are kept alive across a batch and the next ones.
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


def alert_fanout(*, alert_id: int) -> list[list[int]]:
    """Make the alert's delivery rows; returns the pending ones' ids in
    batches of ALERTS_PUSH_BATCH_SIZE (empty when push is off or it is done)."""
    alert = PushAlert.objects.filter(pk=alert_id, finished_at__isnull=True).first()
    if alert is None or vapid_keys() is None:
        return []
    if alert.fanned_out_at is None:
        # Subscriptions made after the alert are not sent an older story;
        # a subscription follows the edition it was made in (the page's
        # language, push.js), and a story is in one edition.
        ids = PushSubscription.objects.filter(
            created_at__lte=alert.created_at, language=_story_language(alert.story_id)
        ).values_list("pk", flat=True)
        chunk: list[int] = []
        for subscription_id in ids.order_by("pk").iterator(chunk_size=FANOUT_CHUNK):
            chunk.append(subscription_id)
            if len(chunk) == FANOUT_CHUNK:
                _deliveries_make(alert_id, chunk)
                chunk = []
        _deliveries_make(alert_id, chunk)
        PushAlert.objects.filter(pk=alert_id).update(fanned_out_at=timezone.now())
    return _due_batches(alert_id=alert_id, now=timezone.now(), fresh_only=True)


def _story_language(story_id: int) -> str | None:
    return (
        ArticlePage.objects.filter(pk=story_id)
        .values_list("edition_locale__language_code", flat=True)
        .first()
    )


def _deliveries_make(alert_id: int, subscription_ids: list[int]) -> None:
    if subscription_ids:
        PushDelivery.objects.bulk_create(
            [PushDelivery(alert_id=alert_id, subscription_id=pk) for pk in subscription_ids],
            ignore_conflicts=True,
        )


def _due(now: datetime) -> Q:
    return (
        Q(status=DeliveryStatus.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )


def _due_batches(*, alert_id: int, now: datetime, fresh_only: bool = False) -> list[list[int]]:
    rows = PushDelivery.objects.filter(_due(now), alert_id=alert_id)
    if fresh_only:
        rows = rows.filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUED_GRACE))
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    size = max(1, settings.ALERTS_PUSH_BATCH_SIZE)
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]
    if ids:
        PushDelivery.objects.filter(pk__in=ids).update(queued_at=now)
    return batches


def alert_payload(*, story: ArticlePage, language: str) -> dict:
    # The story's own address already carries its edition's prefix, and
    # only readers of that edition are sent it.
    url = page_full_url(story) or absolute_url("/")
    return {
        "title": story.title,
        "body": story.standfirst,
        "url": url,
        "tag": f"story-{story.pk}",
        "icon": absolute_url(static("img/logo.png")),
    }


def _claim(delivery_ids: list[int], now: datetime) -> list[PushDelivery]:
    claim = uuid.uuid4()
    PushDelivery.objects.filter(_due(now), pk__in=delivery_ids).update(
        lease_until=now + LEASE, claim=claim, attempts=F("attempts") + 1
    )
    return list(
        PushDelivery.objects.filter(
            pk__in=delivery_ids, status=DeliveryStatus.PENDING, claim=claim
        ).select_related("subscription")
    )


def deliveries_send(*, alert_id: int, delivery_ids: list[int]) -> dict[str, int]:
    """Send one batch; returns counts by outcome (for logs and tests)."""
    counts = {"sent": 0, "gone": 0, "retry": 0, "failed": 0}
    keys = vapid_keys()
    alert = PushAlert.objects.filter(pk=alert_id).first()
    if keys is None or alert is None:
        return counts
    story = ArticlePage.objects.published().public().filter(pk=alert.story_id).first()
    now = timezone.now()
    rows = _claim(delivery_ids, now)
    if story is None or now - alert.created_at > timedelta(seconds=settings.ALERTS_PUSH_TTL):
        # Withdrawn since, or no longer news: nothing more goes out.
        PushDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=DeliveryStatus.FAILED, lease_until=None
        )
        counts["failed"] += len(rows)
        return counts
    # The same story for every reader; the link under their language prefix.
    payloads: dict[str, bytes] = {}
    signer = keys.vapid()
    vapid_by_origin: dict[str, dict] = {}
    for row in rows:
        language = row.subscription.language
        if language not in payloads:
            payloads[language] = json.dumps(alert_payload(story=story, language=language)).encode()
        headers = {
            **_vapid_headers(row.subscription.endpoint, signer, vapid_by_origin),
            "Urgency": "high",
            # The push service keeps one undelivered message per story and browser.
            "Topic": f"story-{story.pk}",
        }
        counts[_send_one(row, payloads[language], headers)] += 1
    return counts


def _vapid_headers(endpoint: str, signer, cache: dict) -> dict:
    origin = "/".join(endpoint.split("/", 3)[:3])
    if origin not in cache:
        claims = {
            "aud": origin,
            "sub": settings.WEBPUSH_VAPID_SUBJECT,
            "exp": int(timezone.now().timestamp()) + 12 * 3600,
        }
        cache[origin] = signer.sign(claims)
    return cache[origin]


def _send_one(row: PushDelivery, payload: bytes, headers: dict) -> str:
    subscription = row.subscription
    try:
        response = WebPusher(subscription.info(), requests_session=_session()).send(
            payload, headers, ttl=settings.ALERTS_PUSH_TTL, timeout=REQUEST_TIMEOUT
        )
        status = response.status_code
    except (requests.RequestException, OSError) as exc:
        logger.info("push to %s failed: %s", subscription.endpoint[:60], exc)
        return _retry(row, None, None)
    now = timezone.now()
    if 200 <= status < 300:
        PushDelivery.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.SENT, sent_at=now, lease_until=None, last_status=status
        )
        PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=now, failures=0)
        return "sent"
    if status in (404, 410):
        subscription.delete()
        return "gone"
    if status == 429 or status >= 500:
        return _retry(row, status, response.headers.get("Retry-After"))
    PushDelivery.objects.filter(pk=row.pk).update(
        status=DeliveryStatus.FAILED, lease_until=None, last_status=status
    )
    PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
    PushSubscription.objects.filter(pk=subscription.pk, failures__gte=MAX_FAILURES).delete()
    logger.info("push to %s refused: %s", subscription.endpoint[:60], status)
    return "failed"


def _retry(row: PushDelivery, status: int | None, retry_after: str | None) -> str:
    if row.attempts >= MAX_ATTEMPTS:
        PushDelivery.objects.filter(pk=row.pk).update(
            status=DeliveryStatus.FAILED, lease_until=None, last_status=status
        )
        return "failed"
    delay = min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** max(0, row.attempts - 1))
    if retry_after and retry_after.strip().isdigit():
        delay = min(RETRY_MAX_SECONDS, max(delay, int(retry_after.strip())))
    PushDelivery.objects.filter(pk=row.pk).update(
        lease_until=None,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        last_status=status,
    )
    return "retry"


def push_alerts_resume(*, now: datetime | None = None) -> list[tuple[int, list[int] | None]]:
    """The scheduler's pass: what to queue for unfinished alerts — (alert id,
    None) for a fan-out never completed, (alert id, batch) for deliveries due
    again (a retry's time has come, or a killed worker's lease has passed).
    Alerts with nothing pending are marked finished."""
    now = now or timezone.now()
    work: list[tuple[int, list[int] | None]] = []
    if vapid_keys() is None:
        return work
    for alert in PushAlert.objects.filter(finished_at__isnull=True).order_by("pk"):
        if alert.fanned_out_at is None:
            work.append((alert.pk, None))
            continue
        pending = PushDelivery.objects.filter(alert=alert, status=DeliveryStatus.PENDING)
        if now - alert.created_at > timedelta(seconds=settings.ALERTS_PUSH_TTL):
            pending.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now)).update(
                status=DeliveryStatus.FAILED
            )
        if not pending.exists():
            PushAlert.objects.filter(pk=alert.pk).update(finished_at=now)
            continue
        work.extend(
            (alert.pk, batch) for batch in _due_batches(alert_id=alert.pk, now=now, fresh_only=True)
        )
    return work
