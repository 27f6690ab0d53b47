"""Reads of the realtime event log and presence."""

from datetime import datetime, timedelta

from django.db.models import Max, Min, Sum
from django.utils import timezone

from .models import Event, Presence

PRESENCE_FRESH = timedelta(seconds=30)


def presence_counts(*, streams: list[str]) -> dict[str, int]:
    """Readers connected now to each stream, across all server processes."""
    counts = dict.fromkeys(streams, 0)
    rows = (
        Presence.objects.filter(stream__in=streams, seen_at__gte=timezone.now() - PRESENCE_FRESH)
        .values("stream")
        .annotate(total=Sum("count"))
    )
    for row in rows:
        counts[row["stream"]] = row["total"] or 0
    return counts


def event_log_bounds() -> tuple[int | None, int | None]:
    """The smallest and largest id in the log (None, None when empty)."""
    bounds = Event.objects.aggregate(low=Min("id"), high=Max("id"))
    return bounds["low"], bounds["high"]


def event_last_id() -> int:
    return Event.objects.aggregate(high=Max("id"))["high"] or 0


def event_id_before(*, moment: datetime) -> int | None:
    """The id of the newest event created at or before `moment`."""
    return (
        Event.objects.filter(created_at__lte=moment)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
        .first()
    )


def events_after(*, last: int, limit: int) -> list[tuple[int, str, str, dict]]:
    """The log after `last`, all streams, oldest first: what a tail reads."""
    return list(
        Event.objects.filter(id__gt=last)
        .order_by("id")
        .values_list("id", "stream", "kind", "data")[:limit]
    )


def stream_events_after(*, stream: str, last: int, limit: int) -> list[tuple[int, str, str, dict]]:
    """One stream's events after `last`, oldest first (a reconnect's replay)."""
    return list(
        Event.objects.filter(stream=stream, id__gt=last)
        .order_by("id")
        .values_list("id", "stream", "kind", "data")[:limit]
    )
