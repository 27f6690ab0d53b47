from django.db import models
from django.utils import timezone


class PendingPurge(models.Model):
    """A surrogate key the edge must drop, written in the same transaction as
    the change that made it stale: a process killed after the commit loses no
    purge, and a rolled-back change queues none (the transactional outbox).

    One row per key: asking again while it waits moves `requested_at`, so a
    purge sent before the later change committed does not count for it.
    """

    key = models.CharField(max_length=100, unique=True)
    soft = models.BooleanField(
        default=False,
        help_text="Soft: the edge may serve the old answer once more while it fetches the new.",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.key
