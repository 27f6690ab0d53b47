"""Purging by surrogate key through a durable queue (models.PendingPurge).

`edge_keys_purge` is called inside the transaction of the change; once it
commits, the task worker sends the keys (tasks.py), and the scheduler's
every pass sends whatever is still due, so an edge that is down is retried
with backoff while editors publish on: nothing waits for the edge.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from broadsheet.core.fragments import stale_keys_record

from .backends import PurgeFailed, backend_get
from .models import PendingPurge

logger = logging.getLogger(__name__)
BATCH = 1000
# One call drains up to this many batches; the scheduler's pass sends the rest.
MAX_ROUNDS = 20
BACKOFF_MAX_SECONDS = 300


def edge_keys_purge(*, keys, soft: bool = False) -> None:
    keys = sorted({k for k in keys if k})
    if not keys:
        return
    now = timezone.now()
    PendingPurge.objects.bulk_create(
        [PendingPurge(key=k, soft=soft, requested_at=now, next_attempt_at=now) for k in keys],
        update_conflicts=True,
        unique_fields=["key"],
        # A hard request over a waiting soft one makes it hard (never softer).
        # A key waiting out a backoff is due again at once: the new change
        # should not wait for an old failure.
        update_fields=["requested_at", "next_attempt_at"] + ([] if soft else ["soft"]),
    )
    # The same keys drop this site's own fragments (core/fragments.py).
    stale_keys_record(keys=keys)
    transaction.on_commit(_purge_task_enqueue)


def _purge_task_enqueue() -> None:
    """After a commit: a task that has not started yet will read every key
    due, these included, so one waiting is enough (a publish asks twice, a
    bulk load thousands of times). One already running may have read the
    queue before this commit: then another is queued."""
    from .tasks import edge_purge_task

    if not _purge_task_waiting(edge_purge_task):
        edge_purge_task.enqueue()


def _purge_task_waiting(task) -> bool:
    from django_tasks_db import DatabaseBackend

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()


def edge_purges_send(*, now=None) -> int:
    """Send every due key, oldest request first, batch after batch until none
    is due or the edge fails; returns how many keys the edge confirmed."""
    sent = 0
    for _ in range(MAX_ROUNDS):
        confirmed, more = _send_batch(now=now or timezone.now())
        sent += confirmed
        if not more:
            break
    return sent


def _send_batch(*, now) -> tuple[int, bool]:
    due = list(
        PendingPurge.objects.filter(next_attempt_at__lte=now)
        .order_by("requested_at", "pk")
        .values_list("pk", "key", "soft", "requested_at", "attempts")[:BATCH]
    )
    if not due:
        return 0, False
    try:
        backend = backend_get()
    except ValueError as error:
        _failed(due, now=now, error=f"edge misconfigured: {error}")
        return 0, False
    if backend is None:
        PendingPurge.objects.filter(pk__in=[row[0] for row in due]).delete()
        return 0, len(due) == BATCH
    sent = 0
    for soft in (False, True):
        rows = [row for row in due if row[2] == soft]
        if not rows:
            continue
        try:
            backend.purge([row[1] for row in rows], soft=soft)
        except PurgeFailed as error:
            _failed(rows, now=now, error=str(error))
            return sent, False
        _confirmed(rows, now=now)
        sent += len(rows)
    return sent, len(due) == BATCH


def _by(rows, index: int) -> dict:
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[index], []).append(row[0])
    return groups


def _confirmed(rows, *, now) -> None:
    # Only rows still as they were read: one asked for again meanwhile (its
    # change may have committed after this purge) stays for the next batch.
    # Rows of one request share their time, so this is a query per change.
    for requested_at, pks in _by(rows, 3).items():
        PendingPurge.objects.filter(pk__in=pks, requested_at=requested_at).delete()
    PendingPurge.objects.filter(pk__in=[row[0] for row in rows]).update(
        attempts=0, failing_since=None, last_error="", next_attempt_at=now
    )


def _failed(rows, *, now, error: str) -> None:
    logger.warning("edge purge failed for %d key(s): %s", len(rows), error)
    for attempts, pks in _by(rows, 4).items():
        delay = min(2**attempts, BACKOFF_MAX_SECONDS)
        PendingPurge.objects.filter(pk__in=pks).update(
            attempts=attempts + 1,
            next_attempt_at=now + timedelta(seconds=delay),
            last_error=error[:2000],
        )
    PendingPurge.objects.filter(pk__in=[r[0] for r in rows], failing_since=None).update(
        failing_since=now
    )


def edge_purge_status() -> dict:
    """For the admin: how many keys wait, and since when the edge refuses them."""
    pending = PendingPurge.objects.aggregate(failing_since=Min("failing_since"))
    last = (
        PendingPurge.objects.exclude(failing_since=None)
        .order_by("-attempts")
        .values_list("last_error", flat=True)
        .first()
    )
    return {
        "pending": PendingPurge.objects.count(),
        "failing_since": pending["failing_since"],
        "last_error": last or "",
    }
