"""Writes to the realtime event log."""

import json
import logging
import re
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import Event, Presence
from .streams import stream_is_valid

logger = logging.getLogger(__name__)

# Any constant shared by every process of the site: the one PostgreSQL
# advisory lock that orders event transactions (see event_publish).
EVENT_ORDER_LOCK = 0x62735F7274  # "bs_rt"
KIND_RE = re.compile(r"^[a-z][a-z0-9_.-]{0,39}\Z")

_redis_client = None


def event_publish(*, stream: str, kind: str, data: dict) -> Event:
    """Store an event for every reader of `stream`; it is pushed once the
    surrounding transaction commits (and never, if it rolls back).

    Call it inside the transaction that makes the change, as late as is
    convenient: on PostgreSQL it holds a lock until that transaction ends.
    `data` is public (everyone on the stream sees it) and JSON-serialisable;
    it carries the ids of what it concerns so clients can ignore repeats.
    """
    if not stream_is_valid(stream):
        raise ValueError(f"invalid stream name: {stream!r}")
    if not isinstance(kind, str) or not KIND_RE.match(kind):
        raise ValueError(f"invalid event kind: {kind!r}")
    if not isinstance(data, dict):
        raise TypeError("event data must be a dict")
    json.dumps(data)  # TypeError now, not in the tail of every server process
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Tailers read "id > last seen". PostgreSQL hands out ids when rows
            # are inserted, not when they commit, so without this a
            # transaction holding id 11 could commit after one holding id 12:
            # a tailer that already saw 12 would skip 11 for ever. The lock is
            # held until the outer transaction ends, so event transactions
            # take ids and commit one after another. (SQLite serialises
            # writers already.)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [EVENT_ORDER_LOCK])
        event = Event.objects.create(stream=stream, kind=kind, data=data)
        transaction.on_commit(partial(_wake_tailers, event.id))
    return event


def _wake_tailers(event_id: int) -> None:
    """Tell every server process's tail to look now (Redis only; without it
    each tail polls). Best effort: a lost wake-up costs at most the fallback
    poll interval, the event itself is safe in the database."""
    if not settings.REDIS_URL:
        return
    global _redis_client
    try:
        if _redis_client is None:
            import redis

            _redis_client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
            )
        _redis_client.publish(f"{settings.REALTIME_REDIS_PREFIX}:events", str(event_id))
    except Exception:  # noqa: BLE001 — the request that published must not fail
        logger.warning("realtime: Redis wake-up for event %s failed", event_id, exc_info=True)


def event_prune_run(*, older_than: timedelta | None = None) -> int:
    """Delete events older than `older_than` (REALTIME_RETENTION_DAYS) and
    presence rows of processes gone for a while; returns the events deleted.

    The newest event is always kept: the smallest id left in the log is how
    the stream endpoint knows a client's last id was pruned (it then tells the
    client to reload) rather than simply not followed by anything."""
    if older_than is None:
        older_than = timedelta(days=settings.REALTIME_RETENTION_DAYS)
    now = timezone.now()
    newest = Event.objects.order_by("-id").values_list("id", flat=True).first()
    Presence.objects.filter(seen_at__lt=now - timedelta(minutes=10)).delete()
    if newest is None:
        return 0
    deleted, _ = Event.objects.filter(created_at__lt=now - older_than, id__lt=newest).delete()
    return deleted


def presence_write(*, process: str, counts: dict[str, int], touch: bool) -> None:
    """Store one process's reader counts (only the streams that changed; a
    count of 0 deletes the row); `touch` refreshes all its rows' seen_at."""
    now = timezone.now()
    with transaction.atomic():
        gone = [stream for stream, count in counts.items() if count <= 0]
        if gone:
            Presence.objects.filter(process=process, stream__in=gone).delete()
        rows = [
            Presence(process=process, stream=stream, count=count, seen_at=now)
            for stream, count in counts.items()
            if count > 0
        ]
        if rows:
            Presence.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["process", "stream"],
                update_fields=["count", "seen_at"],
            )
        if touch:
            Presence.objects.filter(process=process).update(seen_at=now)


def presence_clear(*, process: str) -> None:
    Presence.objects.filter(process=process).delete()
