"""A digest send to many subscribers in an empty, migrated database, for the
process tests and bench/mail.py (run through `manage.py shell -c`)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from broadsheet.news.factories import ArticlePageFactory, SectionPageFactory, front_page_install
from broadsheet.news.models import ArticlePage
from broadsheet.subscriptions.models import ListKind, NewsletterList, Subscriber, Subscription

from .factories import DigestFactory
from .models import Delivery, DeliveryState, Digest, Send
from .services import digest_send, send_start


def loadtest_send_create(*, subscribers: int, stories: int = 5) -> int:
    """A digest of `stories` stories to `subscribers` addresses
    (r<n>@example.net), queued on the task backend. Returns the send's id."""
    loadtest_prepare(subscribers=subscribers, stories=stories)
    return loadtest_send(enqueue=True)


def loadtest_prepare(*, subscribers: int, stories: int = 5) -> None:
    """The site, `stories` stories and a digest list with `subscribers`
    addresses (r<n>@example.net; every fifth reads Russian)."""
    home = front_page_install()
    section = SectionPageFactory(parent=home, title="World", slug="world")
    for _ in range(stories):
        ArticlePageFactory(parent=section)
    newsletter = NewsletterList.objects.create(
        name="Morning briefing", slug="morning", kind=ListKind.DIGEST
    )
    now = timezone.now()
    for start in range(0, subscribers, 5000):
        batch = Subscriber.objects.bulk_create(
            Subscriber(email=f"r{n}@example.net", language="ru" if n % 5 == 0 else "en")
            for n in range(start, min(subscribers, start + 5000))
        )
        Subscription.objects.bulk_create(
            Subscription(subscriber=s, newsletter=newsletter, status="active", confirmed_at=now)
            for s in batch
        )


def loadtest_send(*, enqueue: bool) -> int:
    """A new digest edition of the list with every story; its send queued on
    the task backend (`enqueue`) or started here, for workers to run."""
    newsletter = NewsletterList.objects.get(slug="morning")
    edition = timezone.localdate() + timedelta(days=Digest.objects.count())
    stories = list(ArticlePage.objects.order_by("pk"))
    digest = DigestFactory(newsletter=newsletter, stories=stories, edition=edition)
    if enqueue:
        with transaction.atomic():
            return digest_send(digest=digest).pk
    send = Send.objects.create(
        newsletter=newsletter, kind="digest", subject=digest.subject, language="en", digest=digest
    )
    send_start(send=send)
    return send.pk


def loadtest_report(*, send_id: int) -> dict:
    send = Send.objects.get(pk=send_id)
    states = dict.fromkeys(DeliveryState.values, 0)
    for row in Delivery.objects.filter(send=send).values_list("state", flat=True):
        states[row] += 1
    workers = Delivery.objects.filter(send=send).values("worker").distinct().count()
    return {"status": send.status, "recipients": send.recipients, "workers": workers, **states}
