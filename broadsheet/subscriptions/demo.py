"""The demo's newsletters: the site's daily digest, breaking news, a daily
digest per section, and
a few subscribers (one of them the demo reader's account) with ~two months
of history for the admin's chart. Idempotent: lists by slug, subscribers
only once."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from broadsheet.accounts.models import User

from .factories import NewsletterListFactory, SubscriberFactory, SubscriptionFactory
from .models import Cadence, ListKind, NewsletterList, Subscriber, SubscriptionStatus

DEMO_SUBSCRIBERS = 24


def _lists() -> list[NewsletterList]:
    from broadsheet.news.models import SectionPage

    made = [
        NewsletterListFactory(
            slug="daily-digest",
            name="Daily digest",
            description="The day's most important stories, every morning.",
            kind=ListKind.DIGEST,
            cadence=Cadence.DAILY,
            language="en",
            sort_order=0,
        ),
        NewsletterListFactory(
            slug="breaking-news",
            name="Breaking news",
            description="The big stories the moment they break. A few a month.",
            kind=ListKind.BREAKING,
            cadence=Cadence.AS_IT_HAPPENS,
            language="en",
            sort_order=1,
        ),
    ]
    # Per-section lists for the default edition only: their wording is
    # English. The other editions' lists come from subscriptions_edition_lists_build.
    sections = (
        SectionPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("path")
    )
    for order, section in enumerate(sections, start=10):
        made.append(
            NewsletterListFactory(
                slug=f"{section.slug}-daily",
                name=f"{section.title}: daily",
                description=f"Every morning, yesterday's stories from {section.title}.",
                kind=ListKind.DIGEST,
                cadence=Cadence.DAILY,
                section=section,
                language=settings.LANGUAGE_CODE,
                sort_order=order,
            )
        )
    return made


def _subscribers(lists: list[NewsletterList]) -> int:
    if Subscriber.objects.exists():
        return 0
    daily, breaking = lists[0], lists[1]
    now = timezone.now()
    reader = User.objects.filter(username="reader").first()
    if reader is not None:
        subscriber = SubscriberFactory(email=reader.email.lower(), user=reader, name="Mara")
        SubscriptionFactory(subscriber=subscriber, newsletter=daily, confirmed_at=now)
    for n in range(DEMO_SUBSCRIBERS):
        subscriber = SubscriberFactory(email=f"subscriber{n}@example.org")
        confirmed = now - timedelta(days=60 - n * 2, hours=n)
        left = n % 6 == 5
        SubscriptionFactory(
            subscriber=subscriber,
            newsletter=daily,
            confirmed_at=confirmed,
            status=SubscriptionStatus.UNSUBSCRIBED if left else SubscriptionStatus.ACTIVE,
            unsubscribed_at=confirmed + timedelta(days=9) if left else None,
        )
        if n % 3 == 0:
            SubscriptionFactory(subscriber=subscriber, newsletter=breaking, confirmed_at=confirmed)
    pending = SubscriberFactory(email="pending@example.org")
    SubscriptionFactory(
        subscriber=pending,
        newsletter=daily,
        status=SubscriptionStatus.PENDING,
        confirmed_at=None,
        requested_at=now,
    )
    return Subscriber.objects.count()


def subscriptions_demo_build() -> dict[str, int]:
    before = NewsletterList.objects.count()
    lists = _lists()
    return {
        "newsletter list": NewsletterList.objects.count() - before,
        "subscriber": _subscribers(lists),
    }


def subscriptions_edition_lists_build(*, language: str, lists: list[tuple[str, str, str]]) -> int:
    """An edition's daily digest and breaking-news list (editions/demo.py):
    `lists` is [(slug, name, description)] of the digest, then breaking news,
    named in the edition's language. Returns how many it made."""
    kinds = [(ListKind.DIGEST, Cadence.DAILY), (ListKind.BREAKING, Cadence.AS_IT_HAPPENS)]
    made = 0
    pairs = zip(lists, kinds, strict=True)
    for order, ((slug, name, description), (kind, cadence)) in enumerate(pairs):
        if NewsletterList.objects.filter(slug=slug).exists():
            continue
        NewsletterListFactory(
            slug=slug,
            name=name,
            description=description,
            kind=kind,
            cadence=cadence,
            language=language,
            sort_order=order,
        )
        made += 1
    return made
