from django_tasks import task

from .services import edge_purges_send


@task()
def edge_purge_task() -> int:
    return edge_purges_send()
