"""Who gets the news by e-mail: lists, subscribers (by address, with or
without a reader account) and their subscriptions.

One `Subscriber` per address (stored lower-cased), one `Subscription` per
subscriber and list: re-subscribing reuses the row. A subscription is
`pending` until its address confirms (double opt-in), and nothing but the
confirmation is ever sent to a pending one.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from broadsheet.editions.models import language_choices


class ListKind(models.TextChoices):
    DIGEST = "digest", _("Digest")
    BREAKING = "breaking", _("Breaking news")


class Cadence(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    AS_IT_HAPPENS = "immediate", _("As it happens")


class NewsletterListQuerySet(models.QuerySet):
    def offered(self):
        """The lists readers can choose on the subscribe form."""
        return self.filter(active=True).order_by("sort_order", "name")


class NewsletterList(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=240, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ListKind.choices)
    cadence = models.CharField(
        _("cadence"), max_length=12, choices=Cadence.choices, default=Cadence.DAILY
    )
    # A digest of one section's stories; empty: the whole site's.
    section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The language of the stories it carries.
    language = models.CharField(
        _("language"), max_length=12, choices=language_choices, default=settings.LANGUAGE_CODE
    )
    active = models.BooleanField(
        _("offered to readers"),
        default=True,
        help_text=_("Inactive lists keep their subscribers but are neither offered nor sent."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NewsletterListQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter list")
        verbose_name_plural = _("newsletter lists")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class DisabledReason(models.TextChoices):
    BOUNCE = "bounce", _("Hard bounce")
    COMPLAINT = "complaint", _("Spam complaint")


def _new_key() -> str:
    return secrets.token_urlsafe(12)


class Subscriber(models.Model):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    # How the e-mails greet them; plain text, checked by the subscribe form.
    name = models.CharField(_("name"), max_length=80, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriber",
    )
    # Interface language of the e-mails this subscriber gets.
    language = models.CharField(max_length=12, default=settings.LANGUAGE_CODE)
    # Part of every signed link (preference centre, unsubscribe): a new key
    # invalidates every link already sent.
    key = models.CharField(max_length=32, default=_new_key)
    paused_until = models.DateTimeField(_("paused until"), null=True, blank=True)
    disabled_reason = models.CharField(
        _("disabled"), max_length=12, choices=DisabledReason.choices, blank=True
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    ACTIVE = "active", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=SubscriptionStatus.ACTIVE)


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    newsletter = models.ForeignKey(
        NewsletterList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        max_length=14, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When it last went pending (a re-subscription reuses the row): its
    # confirmation link expires counting from here.
    requested_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "newsletter"], name="subscription_once_per_list"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"], name="subscription_list_idx")]

    def __str__(self):
        return f"{self.subscriber} → {self.newsletter}"
