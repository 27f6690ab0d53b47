"""The send task (django-tasks, run by `manage.py db_worker`)."""

from django_tasks import task

from .engine import send_deliver
from .models import Send, SendStatus


@task()
def send_run_task(send_id: int) -> dict:
    """Start a queued send (materialise its recipients) and deliver until
    nothing is due. Safe to run twice at once or again after a crash."""
    from .services import send_start

    send = Send.objects.filter(pk=send_id).first()
    if send is None:
        return {}
    if send.status == SendStatus.QUEUED:
        send_start(send=send)
    return send_deliver(send_id=send_id)
