"""Reads for the admin: sends with their numbers."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from broadsheet.subscriptions.models import Subscription, SubscriptionStatus

from .models import DeliveryState, Send


def _unsubscribed_since():
    """Unsubscribes from the send's list since the send started (one subquery)."""
    return Coalesce(
        Subquery(
            Subscription.objects.filter(
                newsletter_id=OuterRef("newsletter_id"),
                status=SubscriptionStatus.UNSUBSCRIBED,
                unsubscribed_at__gte=OuterRef("started_at"),
            )
            .order_by()
            .values("newsletter_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def sends_with_counts():
    """Every send with its delivered, waiting, failed, bounced and skipped
    counts and the unsubscribes from its list since it started. A row left
    `sending` by a stopped worker counts as delivered (engine.py)."""

    def state(*states):
        return Count("deliveries", filter=Q(deliveries__state__in=states))

    return (
        Send.objects.select_related("newsletter", "created_by")
        .annotate(
            delivered=state(DeliveryState.SENT, DeliveryState.SENDING),
            waiting=state(DeliveryState.PENDING),
            failed=state(DeliveryState.FAILED),
            bounced=state(DeliveryState.BOUNCED),
            skipped=state(DeliveryState.SKIPPED),
            unsubscribed_since=_unsubscribed_since(),
        )
        .order_by("-created_at", "-pk")
    )
