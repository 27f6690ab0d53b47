"""Factories for discussions (tests and, later, the demo loader)."""

import factory
from allauth.account.models import EmailAddress

from broadsheet.accounts.factories import UserFactory

from .models import BannedPhrase, Comment, CommentLike, CommentReport, CommentStatus, ReportReason


def reader_verified(**fields):
    """A reader whose email address is confirmed: allowed to take part."""
    user = UserFactory(**fields)
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    author = factory.SubFactory(UserFactory)
    body = factory.Faker("paragraph")
    status = CommentStatus.VISIBLE


class CommentLikeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentLike

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)


class CommentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentReport

    comment = factory.SubFactory(CommentFactory)
    reporter = factory.SubFactory(UserFactory)
    reason = ReportReason.SPAM


class BannedPhraseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BannedPhrase
        django_get_or_create = ("phrase",)

    phrase = factory.Sequence(lambda n: f"banned{n}")
