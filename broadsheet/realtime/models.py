"""The realtime event log: what every open page is told, kept for replay.

Writers store an `Event` inside the transaction that makes the change
(services.event_publish); one tail per server process reads the log in id
order and fans each event out to the connections of its stream (hub.py).
"""

from django.db import models


class Event(models.Model):
    """One change, told to every reader of `stream`.

    Ids only grow, and a reader resumes with "everything after id N": that
    only works if no event with a smaller id becomes visible after a larger
    one. SQLite serialises writers (and its AUTOINCREMENT never reuses an id,
    even after pruning); on PostgreSQL event_publish takes an advisory lock
    so event transactions commit in id order. Gaps (rolled back ids) are fine.
    """

    id = models.BigAutoField(primary_key=True)
    stream = models.CharField(max_length=64)
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    # Indexed: pruning and `?since=` look events up by time.
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["stream", "id"], name="realtime_event_stream_id")]

    def __str__(self):
        return f"{self.stream} #{self.id} {self.kind}"


class Presence(models.Model):
    """How many readers one server process holds on one stream, refreshed
    every few seconds by that process's hub; rows not seen lately belong to a
    process that died and are not counted (selectors.presence_counts)."""

    process = models.CharField(max_length=100)
    stream = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "stream"], name="realtime_presence_unique")
        ]

    def __str__(self):
        return f"{self.stream}: {self.count} on {self.process}"
