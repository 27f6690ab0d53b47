"""Reads: the lists offered, a subscriber's lists and data, a reader's
verified address, and the admin's counts and history of a list."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import NewsletterList, Subscriber, Subscription, SubscriptionStatus


def newsletters_offered(*, language: str, edition_only: bool = True) -> list[NewsletterList]:
    """The active lists of the reader's edition (a list is in one language:
    its stories are that edition's). An edition with no list yet offers every
    list; `edition_only=False` (the account page, where readers manage what
    they have) lists every list, the edition's first."""
    lists = list(NewsletterList.objects.offered().select_related("section"))
    mine = [n for n in lists if n.language == language]
    if edition_only and mine:
        return mine
    return sorted(lists, key=lambda n: n.language != language)


def newsletters_of_edition(*, language: str):
    """The subscribe form's choices (a queryset): the edition's active
    lists, or every active list while the edition has none."""
    lists = NewsletterList.objects.offered()
    mine = lists.filter(language=language)
    return mine if mine.exists() else lists


def newsletter_default(*, newsletters: list[NewsletterList], language: str):
    """The list ticked on an empty form: the whole site's daily digest in the
    reader's language (or in any language)."""
    digests = [n for n in newsletters if n.kind == "digest" and n.section_id is None]
    daily = [n for n in digests if n.cadence == "daily"]
    for candidates in (
        [n for n in daily if n.language == language],
        daily,
        digests,
    ):
        if candidates:
            return candidates[0]
    return None


def subscriber_statuses(*, subscriber: Subscriber | None) -> dict[int, str]:
    """{list id: status} of a subscriber's subscriptions."""
    if subscriber is None or subscriber.pk is None:
        return {}
    return dict(subscriber.subscriptions.values_list("newsletter_id", "status"))


def subscriber_for_user(*, user) -> Subscriber | None:
    if not user.is_authenticated:
        return None
    return Subscriber.objects.filter(user=user).first()


def verified_email_for_user(*, user) -> str | None:
    """The reader's verified address (the primary one first), or None: only a
    proven address may be subscribed without a confirmation e-mail."""
    if not user.is_authenticated:
        return None
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
        .first()
    )
    return address.lower() if address else None


def subscriber_data(*, subscriber: Subscriber) -> dict:
    """Everything stored about a subscriber ("download my data")."""
    rows = subscriber.subscriptions.select_related("newsletter").order_by("created_at")
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "language": subscriber.language,
        "created": subscriber.created_at,
        "paused_until": subscriber.paused_until,
        "disabled": subscriber.disabled_reason or None,
        "lists": [
            {
                "list": row.newsletter.name,
                "slug": row.newsletter.slug,
                "status": row.status,
                "subscribed": row.created_at,
                "confirmed": row.confirmed_at,
                "unsubscribed": row.unsubscribed_at,
            }
            for row in rows
        ],
    }


def newsletters_with_counts() -> QuerySet:
    return NewsletterList.objects.annotate(
        active_count=Count(
            "subscriptions", filter=Q(subscriptions__status=SubscriptionStatus.ACTIVE)
        ),
        pending_count=Count(
            "subscriptions", filter=Q(subscriptions__status=SubscriptionStatus.PENDING)
        ),
    )


@dataclass(frozen=True)
class DayPoint:
    day: date
    active: int  # at the end of the day
    new: int
    lost: int


def subscribers_over_time(
    *, newsletter: NewsletterList, days: int = 90, today: date | None = None
) -> list[DayPoint]:
    """Active subscribers at the end of each of the last `days` days, with the
    confirmations and unsubscriptions of each day: three queries, whatever the
    list's size. A subscription's history is its confirmed_at and
    unsubscribed_at (a re-subscription starts the row's history again)."""
    tz = timezone.get_current_timezone()
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    rows = Subscription.objects.filter(newsletter=newsletter, confirmed_at__isnull=False)
    before = rows.filter(confirmed_at__lt=start).exclude(unsubscribed_at__lt=start).count()
    new = dict(
        rows.filter(confirmed_at__gte=start)
        .annotate(day=TruncDate("confirmed_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    lost = dict(
        rows.filter(unsubscribed_at__gte=start)
        .annotate(day=TruncDate("unsubscribed_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    points = []
    active = before
    for offset in range(days):
        day = first + timedelta(days=offset)
        active += new.get(day, 0) - lost.get(day, 0)
        points.append(DayPoint(day, active, new.get(day, 0), lost.get(day, 0)))
    return points


def account_newsletters(*, user, language: str) -> dict:
    """The account page's newsletters: the offered lists with the reader's
    choice, and their preference centre's link once they have a subscriber."""
    from .links import preferences_url

    subscriber = subscriber_for_user(user=user)
    statuses = subscriber_statuses(subscriber=subscriber)
    return {
        "verified_email": verified_email_for_user(user=user),
        "lists": [
            (n, statuses.get(n.pk) == SubscriptionStatus.ACTIVE)
            for n in newsletters_offered(language=language, edition_only=False)
        ],
        "manage_url": preferences_url(subscriber=subscriber) if subscriber else None,
        "email": subscriber.email if subscriber else None,
    }
