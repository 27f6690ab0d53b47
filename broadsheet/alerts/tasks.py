"""The alert's fan-out and its batches, on the task worker (django-tasks)."""

from django_tasks import task

from .sending import alert_fanout, deliveries_send, push_alerts_resume


@task()
def push_alert_fanout_task(alert_id: int) -> int:
    """Give every subscription a delivery row, then queue one task per batch
    (ALERTS_PUSH_BATCH_SIZE): returns the number of batches queued."""
    batches = alert_fanout(alert_id=alert_id)
    for batch in batches:
        push_batch_task.enqueue(alert_id, batch)
    return len(batches)


@task()
def push_batch_task(alert_id: int, delivery_ids: list[int]) -> dict[str, int]:
    return deliveries_send(alert_id=alert_id, delivery_ids=delivery_ids)


def push_alerts_resume_run() -> int:
    """The scheduler's pass (run_scheduler): queue what unfinished alerts
    still need; returns the number of tasks queued."""
    work = push_alerts_resume()
    for alert_id, batch in work:
        if batch is None:
            push_alert_fanout_task.enqueue(alert_id)
        else:
            push_batch_task.enqueue(alert_id, batch)
    return len(work)
