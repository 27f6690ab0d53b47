import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

logger = logging.getLogger(__name__)


@dataclass
class ScheduledRun:
    published: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _expirable_querysets():
    yield Page.objects.specific()
    for model in apps.get_models():
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page):
            yield model.objects.all()


def scheduled_publishing_run(*, now: datetime | None = None) -> ScheduledRun:
    """Publish revisions whose go-live time has come and withdraw expired pages.

    Does what Wagtail's `publish_scheduled` command does, but one item per
    transaction: a story that fails to publish is logged and retried on the
    next pass without holding back the others.
    https://docs.wagtail.org/en/stable/reference/management_commands.html#publish-scheduled
    """
    now = now or timezone.now()
    run = ScheduledRun()
    for revision in Revision.objects.filter(approved_go_live_at__lte=now).order_by(
        "approved_go_live_at"
    ):
        try:
            with transaction.atomic():
                revision.publish(log_action="wagtail.publish.scheduled")
            run.published.append(str(revision.object_str))
        except Exception:
            logger.exception("Scheduled publish failed for revision %s", revision.pk)
            run.failed.append(str(revision.object_str))
    for expirable in _expirable_querysets():
        for obj in expirable.filter(live=True, expire_at__lt=now):
            try:
                with transaction.atomic():
                    obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
                run.unpublished.append(str(obj))
            except Exception:
                logger.exception("Scheduled unpublish failed for %r", obj)
                run.failed.append(str(obj))
    return run


STATISTICS_EVERY_SECONDS = 3600
_statistics_refreshed: float | None = None


def database_statistics_refresh(*, force: bool = False) -> bool:
    """Refresh SQLite's query planner statistics, at most hourly per process;
    returns whether it ran. Without them SQLite guesses which index narrows
    a query most, and on a large archive guesses wrong: a section found by
    its locale's 100,000 pages rather than by its slug (8 ms a query at
    100,000 stories, docs/benchmarks.md). `analysis_limit` keeps it to a
    sample per index (0.1 s at 100,000 stories).
    https://www.sqlite.org/lang_analyze.html#approx
    PostgreSQL's autovacuum keeps its own statistics."""
    global _statistics_refreshed
    if connection.vendor != "sqlite":
        return False
    now = time.monotonic()
    due = _statistics_refreshed is None or now - _statistics_refreshed >= STATISTICS_EVERY_SECONDS
    if not (force or due):
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
    _statistics_refreshed = now
    return True
