"""Browser notifications (Web Push): who asked for them, which stories were
alerted, and each alert's delivery to each browser.

One `PushAlert` row per story (unique) is what makes an alert happen once
however often the story is republished; one `PushDelivery` row per (alert,
subscription) (unique) is what lets a worker killed half-way resume without
sending twice (services.py: claim, send, mark).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

ENDPOINT_MAX_LENGTH = 1024


class PushSubscription(models.Model):
    """A browser's push subscription (PushSubscription.toJSON())."""

    endpoint = models.URLField(_("endpoint"), max_length=ENDPOINT_MAX_LENGTH, unique=True)
    # Base64url as the browser gives them: the receiver's P-256 public key
    # (65 bytes) and the 16-byte auth secret (services.subscription_parse).
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=32)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    # Consecutive refusals (4xx other than 404/410/429); reset by a success.
    failures = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return self.endpoint[:60]

    def info(self) -> dict:
        """What pywebpush wants."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushAlert(models.Model):
    """A breaking story alerted to browsers: made inside the publishing
    transaction, fanned out after commit (tasks.py)."""

    story = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("story")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    # Every subscription has its PushDelivery row (the fan-out may be re-run:
    # rows are made with ignore_conflicts).
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    # No delivery left pending: the scheduler's pass stops looking at it.
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push alert")
        verbose_name_plural = _("push alerts")

    def __str__(self) -> str:
        return f"alert {self.pk} (story {self.story_id})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class PushDelivery(models.Model):
    alert = models.ForeignKey(PushAlert, on_delete=models.CASCADE, related_name="deliveries")
    # A subscription the push service says is gone is deleted, with its rows.
    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # A worker sending this row holds it until then; a killed worker's rows
    # become claimable again when it passes.
    lease_until = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)  # which worker holds the lease
    # Retry after a 429/5xx/network error, not before.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a batch task was last queued for it (the scheduler's pass does not
    # queue it again while that one is probably still waiting for a worker).
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "subscription"], name="alerts_delivery_once_per_subscription"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="alerts_delivery_due")]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.status})"
