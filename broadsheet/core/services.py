import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import transaction
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
