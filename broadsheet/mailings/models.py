"""What is sent to subscribers: digests (composed drafts editors may change),
breaking-news alerts (one per story), and sends with one delivery row per
recipient, which is what makes a send exactly-once (see engine.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from broadsheet.subscriptions.models import ListKind


class Digest(ClusterableModel):
    """One edition of a digest list: composed each morning as a draft, sent
    once (by an editor's "Send now" or automatically at send time)."""

    newsletter = models.ForeignKey(
        "subscriptions.NewsletterList",
        verbose_name=_("newsletter"),
        on_delete=models.CASCADE,
        related_name="digests",
        limit_choices_to={"kind": ListKind.DIGEST},
    )
    edition = models.DateField(_("edition"))
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("subject"),
        FieldPanel("intro"),
        InlinePanel("items", label=_("Story"), heading=_("Stories")),
    ]

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-edition", "newsletter__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "edition"], name="digest_once_per_day")
        ]

    def __str__(self):
        return f"{self.newsletter} — {self.edition:%Y-%m-%d}"


class DigestStory(Orderable):
    digest = ParentalKey(Digest, on_delete=models.CASCADE, related_name="items")
    story = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("story"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("story")]

    class Meta(Orderable.Meta):
        verbose_name = _("digest story")


class BreakingAlert(models.Model):
    """The once-per-story row: `story_public` may fire again for a story
    (republished, embargo passing), the alert goes out once."""

    story = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="mailing_alert"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("breaking news alert")

    def __str__(self):
        return f"alert {self.story_id}"


class SendStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Send(models.Model):
    newsletter = models.ForeignKey(
        "subscriptions.NewsletterList",
        verbose_name=_("newsletter"),
        on_delete=models.PROTECT,
        related_name="sends",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ListKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    # The stories' language (the list's); each subscriber's interface strings
    # come in their own language.
    language = models.CharField(_("language"), max_length=12)
    story = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    digest = models.OneToOneField(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="send"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=SendStatus.choices, default=SendStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("send")
        verbose_name_plural = _("sends")
        ordering = ["-created_at"]
        constraints = [
            # A breaking story goes once to each list, however often it is published.
            models.UniqueConstraint(
                fields=["story", "newsletter"],
                condition=models.Q(kind=ListKind.BREAKING),
                name="send_breaking_once_per_list",
            )
        ]
        indexes = [models.Index(fields=["status"], name="send_status_idx")]

    def __str__(self):
        return self.subject


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    # Never the address itself: deleting a subscriber's data leaves only the row.
    subscriber = models.ForeignKey(
        "subscriptions.Subscriber", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        max_length=8, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    # A claim: the worker that holds the row until `lease_until`.
    worker = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # A retry after a temporary failure waits until then.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["send", "subscriber"], name="delivery_once_per_send")
        ]
        indexes = [models.Index(fields=["send", "state", "id"], name="delivery_claim_idx")]

    def __str__(self):
        return f"{self.send_id}.{self.pk} {self.state}"
