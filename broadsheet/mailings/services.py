"""Writes: starting sends, composing and sending digests, breaking-news
alerts, disabling addresses, and the scheduler's pass."""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from broadsheet.editions.selectors import home_for, locale_id_for
from broadsheet.news.models import ArticlePage
from broadsheet.subscriptions.models import (
    Cadence,
    ListKind,
    NewsletterList,
    Subscriber,
    SubscriptionStatus,
)

from .engine import _claimable, send_finish_if_done, send_materialise
from .messages import breaking_subject
from .models import BreakingAlert, Delivery, DeliveryState, Digest, DigestStory, Send, SendStatus

logger = logging.getLogger("broadsheet.mailings")


def send_enqueue(*, send_id: int) -> None:
    """Run the send on the task worker once the current transaction commits."""
    from .tasks import send_run_task

    def enqueue():
        for _copy in range(settings.MAILINGS_TASKS_PER_SEND):
            send_run_task.enqueue(send_id)

    transaction.on_commit(enqueue)


def send_start(*, send: Send) -> bool:
    """queued → sending, with one delivery row per recipient (once)."""
    with transaction.atomic():
        started = Send.objects.filter(pk=send.pk, status=SendStatus.QUEUED).update(
            status=SendStatus.SENDING, started_at=timezone.now()
        )
        if started:
            send_materialise(send=send)
    return bool(started)


def send_cancel(*, send: Send) -> None:
    with transaction.atomic():
        Send.objects.filter(pk=send.pk, status__in=[SendStatus.QUEUED, SendStatus.SENDING]).update(
            status=SendStatus.CANCELLED, finished_at=timezone.now()
        )
        Delivery.objects.filter(send=send, state=DeliveryState.PENDING).update(
            state=DeliveryState.SKIPPED, error="send cancelled"
        )


# Digests ---------------------------------------------------------------------


def digest_zone() -> ZoneInfo:
    return ZoneInfo(settings.MAILINGS_DIGEST_TIME_ZONE or settings.TIME_ZONE)


def digest_stories(*, newsletter: NewsletterList, until: datetime) -> list[ArticlePage]:
    """Public stories of the list's language (and section) from the last day
    (week, for a weekly list): the front page's lead first, then newest first."""
    days = 7 if newsletter.cadence == Cadence.WEEKLY else 1
    # The list's edition, on the edition's feed index.
    stories = (
        ArticlePage.objects.published(at_or_before=until)
        .in_edition(locale_id_for(language=newsletter.language))
        .filter(published_at__gt=until - timedelta(days=days))
    )
    if newsletter.section_id:
        stories = stories.filter(section_id=newsletter.section_id)
    chosen = list(stories.newest_first()[: settings.MAILINGS_DIGEST_STORIES])
    # The lead of the list's edition's front page.
    home = home_for(language=newsletter.language)
    lead_id = home.lead_story_id if home else None
    if lead_id and lead_id not in {story.pk for story in chosen}:
        lead = stories.filter(pk=lead_id).first()
        if lead is not None:
            chosen = [lead, *chosen][: settings.MAILINGS_DIGEST_STORIES]
    return sorted(chosen, key=lambda story: story.pk != lead_id)


def digest_compose(*, newsletter: NewsletterList, edition, until=None) -> Digest | None:
    """The edition's draft (made once); None when there is nothing to send."""
    existing = Digest.objects.filter(newsletter=newsletter, edition=edition).first()
    if existing is not None:
        return existing
    stories = digest_stories(newsletter=newsletter, until=until or timezone.now())
    if not stories:
        return None
    with translation.override(newsletter.language):
        subject = _("%(name)s — %(date)s") % {
            "name": newsletter.name,
            "date": formats.date_format(edition, "DATE_FORMAT"),
        }
    try:
        with transaction.atomic():
            digest = Digest.objects.create(newsletter=newsletter, edition=edition, subject=subject)
            DigestStory.objects.bulk_create(
                DigestStory(digest=digest, story=story, sort_order=order)
                for order, story in enumerate(stories)
            )
    except IntegrityError:  # another scheduler composed it a moment ago
        return Digest.objects.filter(newsletter=newsletter, edition=edition).first()
    return digest


def digest_send(*, digest: Digest, user=None) -> Send | None:
    """The digest's one send (None if it has been sent, or has no stories)."""
    if not digest.items.exists():
        return None
    try:
        with transaction.atomic():
            send = Send.objects.create(
                newsletter=digest.newsletter,
                kind=ListKind.DIGEST,
                subject=digest.subject,
                language=digest.newsletter.language,
                digest=digest,
                created_by=user,
            )
    except IntegrityError:
        return None
    send_enqueue(send_id=send.pk)
    return send


def digests_due(*, now: datetime | None = None) -> list[str]:
    """Compose each digest list's edition after COMPOSE_AT and send it after
    SEND_AT (local time); weekly lists on Mondays. Returns what was done."""
    now = now or timezone.now()
    local = now.astimezone(digest_zone())
    compose_at = time.fromisoformat(settings.MAILINGS_DIGEST_COMPOSE_AT)
    send_at = time.fromisoformat(settings.MAILINGS_DIGEST_SEND_AT)
    done: list[str] = []
    if local.time() < compose_at:
        return done
    lists = NewsletterList.objects.filter(active=True, kind=ListKind.DIGEST)
    for newsletter in lists:
        if newsletter.cadence == Cadence.WEEKLY and local.weekday() != 0:
            continue
        digest = digest_compose(newsletter=newsletter, edition=local.date(), until=now)
        if digest is None:
            continue
        if local.time() >= send_at and not Send.objects.filter(digest=digest).exists():
            if digest_send(digest=digest) is not None:
                done.append(f"digest sent: {digest}")
    return done


# Breaking news ---------------------------------------------------------------


def breaking_alert_create(*, story: ArticlePage) -> list[Send]:
    """Called inside the publishing transaction: once per story, a send to
    every active breaking list of the story's language (and section, for a
    list that has one), run after commit."""
    if not story.breaking:
        return []
    try:
        with transaction.atomic():
            BreakingAlert.objects.create(story=story)
    except IntegrityError:
        return []
    language = story.locale.language_code
    lists = NewsletterList.objects.filter(active=True, kind=ListKind.BREAKING, language=language)
    sends = []
    for newsletter in lists:
        if newsletter.section_id and newsletter.section_id != story.section_id:
            continue
        send = Send.objects.create(
            newsletter=newsletter,
            kind=ListKind.BREAKING,
            subject=breaking_subject(story=story, language=language),
            language=language,
            story=story,
        )
        send_enqueue(send_id=send.pk)
        sends.append(send)
    return sends


# Addresses -------------------------------------------------------------------


def subscriber_disable(*, subscriber: Subscriber, reason: str, unsubscribe: bool = False) -> None:
    """A hard bounce or a complaint: nothing more goes to this address
    (`unsubscribe`: and every subscription ends, as the webhook asks)."""
    now = timezone.now()
    with transaction.atomic():
        Subscriber.objects.filter(pk=subscriber.pk, disabled_reason="").update(
            disabled_reason=reason, disabled_at=now
        )
        if unsubscribe:
            subscriber.subscriptions.exclude(status=SubscriptionStatus.UNSUBSCRIBED).update(
                status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=now
            )


# The scheduler's pass --------------------------------------------------------


def mailings_schedule_run(*, now: datetime | None = None) -> list[str]:
    """Digests due, sends whose task was lost or whose worker died (pending
    rows, no live lease) queued again, finished sends closed."""
    now = now or timezone.now()
    done = digests_due(now=now)
    stale = now - timedelta(seconds=settings.MAILINGS_LEASE_SECONDS)
    for send in Send.objects.filter(status=SendStatus.QUEUED, created_at__lt=stale):
        send_enqueue(send_id=send.pk)
        done.append(f"send queued again: {send}")
    for send in Send.objects.filter(status=SendStatus.SENDING):
        if send_finish_if_done(send_id=send.pk):
            done.append(f"send finished: {send}")
            continue
        leased = Delivery.objects.filter(
            send=send,
            state__in=[DeliveryState.PENDING, DeliveryState.SENDING],
            lease_until__gte=now,
        )
        if _claimable(send.pk, now).exists() and not leased.exists():
            send_enqueue(send_id=send.pk)
            done.append(f"send resumed: {send}")
    return done
