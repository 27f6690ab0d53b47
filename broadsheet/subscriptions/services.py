"""Writes: subscribing (double opt-in, or at once for a reader with a
verified address), confirming, the preference centre's changes, one-click
unsubscribe and deleting a subscriber's data.

Nothing here tells a caller whether an address was already subscribed: the
subscribe form answers the same for every valid request, and only the
address's owner learns more (from the e-mail sent to it).
"""

import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from .models import NewsletterList, Subscriber, Subscription, SubscriptionStatus

RATE_WINDOW_SECONDS = 3600
PAUSE_DAYS = (7, 14, 30)
_CONFIRM_SALT = "broadsheet.subscriptions.confirm"


class SubscribeRefused(Exception):
    """A request the reader can do something about (the message says what)."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# ------------------------------------------------------------ rate limits


def _rate_keys(*, email: str, ip: str | None) -> dict[str, int]:
    keys = {f"subscriptions:rate:address:{email}": settings.SUBSCRIPTIONS_RATE_PER_ADDRESS}
    if ip:
        keys[f"subscriptions:rate:ip:{ip}"] = settings.SUBSCRIPTIONS_RATE_PER_IP
    return keys


def subscribe_rate_check(*, email: str, ip: str | None) -> None:
    """Counts this attempt against the address and the IP (Django's cache,
    shared by every process in production: the discussions' idea), or refuses
    it with the minutes to wait. A refused attempt is not counted, so waiting
    the minutes named is always enough."""
    now = time.time()
    recent_by_key = {}
    wait = 0.0
    for key, limit in _rate_keys(email=email, ip=ip).items():
        recent = [t for t in cache.get(key, []) if now - t < RATE_WINDOW_SECONDS]
        recent_by_key[key] = recent
        if len(recent) >= limit:
            wait = max(wait, RATE_WINDOW_SECONDS - (now - recent[-limit]))
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        raise SubscribeRefused(
            ngettext(
                "Too many attempts, try again in %(minutes)d minute.",
                "Too many attempts, try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
            status=429,
        )
    for key, recent in recent_by_key.items():
        cache.set(key, [*recent, now][-100:], timeout=RATE_WINDOW_SECONDS)


# ------------------------------------------------------------ confirmation tokens


def confirm_token(
    *, subscriber: Subscriber, newsletter_ids: list[int], name: str = "", language: str = ""
) -> str:
    """A signed, timestamped token naming what the request asked for; the
    name and language are applied only when the owner confirms, so nobody can
    rename someone else's subscription by typing their address."""
    payload = [subscriber.pk, subscriber.key, sorted(newsletter_ids), name, language]
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign_object(payload, compress=True)


@dataclass(frozen=True)
class ConfirmRequest:
    subscriber: Subscriber
    newsletters: list[NewsletterList]
    name: str
    language: str


def confirm_request_from_token(*, token: str) -> ConfirmRequest | None:
    """What a confirmation link asks for, or None if it is forged, altered,
    expired, or its subscriber's data was deleted since."""
    if not token or len(token) > 1000:
        return None
    max_age = timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS)
    try:
        payload = signing.TimestampSigner(salt=_CONFIRM_SALT).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(payload, list) or len(payload) != 5:
        return None
    pk, key, ids, name, language = payload
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        return None
    subscriber = Subscriber.objects.filter(pk=pk, key=key).first()
    if subscriber is None:
        return None
    newsletters = list(NewsletterList.objects.filter(pk__in=ids))
    return ConfirmRequest(subscriber, newsletters, str(name or ""), str(language or ""))


# ------------------------------------------------------------ subscribing


@dataclass(frozen=True)
class SubscribeOutcome:
    # What was done, for tests and logs: never shown to whoever asked.
    subscriber: Subscriber
    sent: str  # "confirm" or "already"


def _subscriber_get_or_create(*, email: str, defaults: dict) -> tuple[Subscriber, bool]:
    try:
        with transaction.atomic():
            return Subscriber.objects.get_or_create(email=email, defaults=defaults)
    except IntegrityError:
        # Two requests for one new address at once: the other one made it.
        return Subscriber.objects.get(email=email), False


def _subscription_set(*, subscriber: Subscriber, newsletter: NewsletterList, status: str) -> None:
    """Get-or-update the one row per subscriber and list."""
    now = timezone.now()
    fields = {"status": status}
    if status == SubscriptionStatus.PENDING:
        fields["requested_at"] = now
    if status == SubscriptionStatus.ACTIVE:
        fields.update(confirmed_at=now, unsubscribed_at=None)
    row, created = Subscription.objects.get_or_create(
        subscriber=subscriber, newsletter=newsletter, defaults=fields
    )
    if not created and (row.status != status or status == SubscriptionStatus.PENDING):
        for field, value in fields.items():
            setattr(row, field, value)
        row.save(update_fields=list(fields))


def subscribe_request(
    *,
    email: str,
    newsletters: list[NewsletterList],
    name: str = "",
    language: str = "",
    ip: str | None = None,
) -> SubscribeOutcome:
    """The public form's request: the chosen lists go `pending` and a
    confirmation is mailed after commit; if every chosen list is already
    active, the owner is mailed a link to manage them instead."""
    email = email.strip().lower()
    language = language or settings.LANGUAGE_CODE
    subscribe_rate_check(email=email, ip=ip)
    subscriber, created = _subscriber_get_or_create(
        email=email, defaults={"name": name, "language": language}
    )
    active = set(
        subscriber.subscriptions.active()
        .filter(newsletter__in=newsletters)
        .values_list("newsletter_id", flat=True)
    )
    wanted = [n for n in newsletters if n.pk not in active]
    from . import tasks

    if not wanted:
        tasks.already_subscribed_request(subscriber=subscriber, language=language)
        return SubscribeOutcome(subscriber, "already")
    for newsletter in wanted:
        _subscription_set(
            subscriber=subscriber, newsletter=newsletter, status=SubscriptionStatus.PENDING
        )
    token = confirm_token(
        subscriber=subscriber,
        newsletter_ids=[n.pk for n in wanted],
        name="" if created else name,
        language="" if created else language,
    )
    tasks.confirmation_request(subscriber=subscriber, token=token, language=language)
    return SubscribeOutcome(subscriber, "confirm")


def subscription_confirm(*, request: ConfirmRequest) -> list[NewsletterList]:
    """Activates the lists the link names that are still pending (a list
    left meanwhile from the preference centre stays left); idempotent."""
    subscriber = request.subscriber
    confirmed = []
    for newsletter in request.newsletters:
        row = Subscription.objects.filter(subscriber=subscriber, newsletter=newsletter).first()
        if row is None or row.status == SubscriptionStatus.PENDING:
            _subscription_set(
                subscriber=subscriber, newsletter=newsletter, status=SubscriptionStatus.ACTIVE
            )
            confirmed.append(newsletter)
        elif row.status == SubscriptionStatus.ACTIVE:
            confirmed.append(newsletter)
    changed = []
    if request.name and request.name != subscriber.name:
        subscriber.name = request.name
        changed.append("name")
    if request.language and request.language != subscriber.language:
        subscriber.language = request.language
        changed.append("language")
    if subscriber.disabled_reason:
        # The owner just received mail here and asked again: the address works.
        subscriber.disabled_reason, subscriber.disabled_at = "", None
        changed += ["disabled_reason", "disabled_at"]
    if changed:
        subscriber.save(update_fields=changed)
    return confirmed


# ------------------------------------------------------------ signed-in readers


def member_subscriber(*, user, email: str, language: str = "") -> Subscriber:
    """The subscriber of a reader whose address `email` is verified: theirs by
    account if linked (its address follows a changed, verified account
    address when that address is free), else the one of that address, now
    linked, else a new one."""
    email = email.strip().lower()
    subscriber = Subscriber.objects.filter(user=user).first()
    if subscriber is not None:
        if (
            subscriber.email != email
            and not Subscriber.objects.filter(email=email).exclude(pk=subscriber.pk).exists()
        ):
            subscriber.email = email
            subscriber.save(update_fields=["email"])
        return subscriber
    subscriber, _ = _subscriber_get_or_create(
        email=email, defaults={"language": language or settings.LANGUAGE_CODE}
    )
    if subscriber.user_id is None:
        subscriber.user = user
        subscriber.save(update_fields=["user"])
    return subscriber


def member_toggle(*, subscriber: Subscriber, newsletter: NewsletterList, on: bool) -> None:
    """One click on a verified reader's list: active at once (the address is
    proven), or unsubscribed."""
    if on:
        _subscription_set(
            subscriber=subscriber, newsletter=newsletter, status=SubscriptionStatus.ACTIVE
        )
    else:
        subscription_unsubscribe(subscriber=subscriber, newsletter=newsletter)


# ------------------------------------------------------------ preference centre


def preferences_lists_set(*, subscriber: Subscriber, newsletters: list[NewsletterList]) -> None:
    """The preference centre's list of lists: the ones ticked are active (its
    link came by e-mail, so the address is proven), the others left."""
    chosen = {n.pk for n in newsletters}
    for newsletter in newsletters:
        _subscription_set(
            subscriber=subscriber, newsletter=newsletter, status=SubscriptionStatus.ACTIVE
        )
    others = subscriber.subscriptions.exclude(newsletter_id__in=chosen)
    others.exclude(status=SubscriptionStatus.UNSUBSCRIBED).update(
        status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )


def subscriber_pause(*, subscriber: Subscriber, days: int) -> None:
    if days not in PAUSE_DAYS:
        raise SubscribeRefused("Unknown pause.")
    subscriber.paused_until = timezone.now() + timedelta(days=days)
    subscriber.save(update_fields=["paused_until"])


def subscriber_resume(*, subscriber: Subscriber) -> None:
    subscriber.paused_until = None
    subscriber.save(update_fields=["paused_until"])


def subscription_unsubscribe(
    *, subscriber: Subscriber, newsletter: NewsletterList | None = None
) -> int:
    """That list, or every list; idempotent (a repeated unsubscribe keeps the
    first time). Returns how many subscriptions it ended."""
    rows = subscriber.subscriptions.exclude(status=SubscriptionStatus.UNSUBSCRIBED)
    if newsletter is not None:
        rows = rows.filter(newsletter=newsletter)
    return rows.update(status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Deletes the address, its name and its subscriptions. The key changes
    first, so a link already sent is dead even to a process that still holds
    the row."""
    subscriber.key = Subscriber._meta.get_field("key").default()
    subscriber.save(update_fields=["key"])
    subscriber.delete()


# ------------------------------------------------------------ housekeeping


def pending_prune_run(*, now=None) -> int:
    """Deletes pending subscriptions whose confirmation link has expired, and
    subscribers left with none (they never confirmed anything)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS)
    deleted, _ = Subscription.objects.filter(
        status=SubscriptionStatus.PENDING, requested_at__lt=cutoff
    ).delete()
    Subscriber.objects.filter(
        subscriptions__isnull=True, user__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted
