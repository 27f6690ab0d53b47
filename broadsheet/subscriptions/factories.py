"""Factories for subscriptions (tests and the demo loader)."""

import factory
from django.utils import timezone
from django.utils.text import slugify

from .models import ListKind, NewsletterList, Subscriber, Subscription, SubscriptionStatus


class NewsletterListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterList
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"List {n}")
    slug = factory.LazyAttribute(lambda newsletter: slugify(newsletter.name))
    description = factory.Faker("sentence")
    kind = ListKind.DIGEST


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"subscriber{n}@example.org")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    newsletter = factory.SubFactory(NewsletterListFactory)
    status = SubscriptionStatus.ACTIVE
    confirmed_at = factory.LazyFunction(timezone.now)
