"""Writes: browsers' subscriptions, and the alert a breaking story makes.

The alert is made by `story_alert` inside the transaction that publishes the
story (the receiver of news.live_events.story_public, signals.py): one
`PushAlert` row per story, so a republish or the scheduler's repeat finds it
and does nothing; the banner's realtime event is written in the same
transaction; the fan-out to browsers is queued after commit (tasks.py,
sending.py), so a rolled-back publish alerts nobody.
"""

from functools import partial

from django.db import IntegrityError, transaction

from broadsheet.news.models import ArticlePage
from broadsheet.realtime.services import event_publish

from .models import PushAlert, PushSubscription
from .validation import SubscriptionInfo

BANNER_STREAM = "breaking"
BANNER_KIND = "story.breaking"


def push_subscription_save(
    *, info: SubscriptionInfo, language: str
) -> tuple[PushSubscription, bool]:
    """Store (or refresh: browsers re-subscribe with new keys) a subscription;
    returns it and whether it is new."""
    defaults = {"p256dh": info.p256dh, "auth": info.auth, "language": language, "failures": 0}
    try:
        with transaction.atomic():
            return PushSubscription.objects.update_or_create(
                endpoint=info.endpoint, defaults=defaults
            )
    except IntegrityError:
        # The same browser registering twice at once: the other request won.
        PushSubscription.objects.filter(endpoint=info.endpoint).update(**defaults)
        return PushSubscription.objects.get(endpoint=info.endpoint), False


def push_subscription_delete(*, endpoint: str) -> bool:
    deleted, _ = PushSubscription.objects.filter(endpoint=endpoint).delete()
    return bool(deleted)


def story_banner_data(*, story: ArticlePage) -> dict:
    """Public data only: what every page may show about a public story."""
    parts = story.get_url_parts()
    # The path carries the edition's prefix; `edition` lets each edition's
    # pages show only their own stories (breaking.js).
    return {
        "id": story.pk,
        "title": story.title,
        "url": parts[2] if parts else "/",
        "edition": story.locale.language_code,
    }


def story_alert(*, story: ArticlePage) -> PushAlert | None:
    """A breaking story has just been published while public (or its embargo
    has passed): alert it once. Call inside the publishing transaction."""
    if not getattr(story, "breaking", False):
        return None
    alert, created = PushAlert.objects.get_or_create(story_id=story.pk)
    if not created:
        return None
    event_publish(stream=BANNER_STREAM, kind=BANNER_KIND, data=story_banner_data(story=story))
    transaction.on_commit(partial(_fanout_enqueue, alert.pk))
    return alert


def _fanout_enqueue(alert_id: int) -> None:
    from .tasks import push_alert_fanout_task

    push_alert_fanout_task.enqueue(alert_id)
