"""Factories for mailings (tests and benchmarks)."""

import factory
from django.utils import timezone

from broadsheet.subscriptions.factories import NewsletterListFactory, SubscriptionFactory
from broadsheet.subscriptions.models import ListKind, Subscriber

from .models import Digest, DigestStory, Send


class DigestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Digest
        skip_postgeneration_save = True

    newsletter = factory.SubFactory(NewsletterListFactory, kind=ListKind.DIGEST)
    edition = factory.LazyFunction(lambda: timezone.localdate())
    subject = factory.LazyAttribute(lambda o: f"{o.newsletter.name} — {o.edition:%d %B %Y}")
    intro = "Good morning. Here is what happened."

    @factory.post_generation
    def stories(self, create, extracted, **kwargs):
        if create and extracted:
            for order, story in enumerate(extracted):
                DigestStory.objects.create(digest=self, story=story, sort_order=order)


class SendFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Send

    newsletter = factory.LazyAttribute(lambda o: o.digest.newsletter)
    kind = ListKind.DIGEST
    subject = factory.LazyAttribute(lambda o: o.digest.subject)
    language = factory.LazyAttribute(lambda o: o.newsletter.language)
    digest = factory.SubFactory(DigestFactory)


def subscribers_add(*, newsletter, count: int = 1, **fields) -> list[Subscriber]:
    """`count` new subscribers with an active subscription to `newsletter`."""
    return [
        SubscriptionFactory(
            newsletter=newsletter, **{f"subscriber__{key}": value for key, value in fields.items()}
        ).subscriber
        for _ in range(count)
    ]
