"""Wagtail's search and reference indexes for a demo built in one go.

Every save of a page, photo or snippet enqueues one background task per
index (Wagtail's `update_reference_index_task`, modelsearch's
`insert_or_update_object_task`). Building the demo saves its pages many times
over (revisions, publishing, translations), which left ~13,000 tasks queued
that the worker chewed through for minutes after `make run` started, while
search found only part of the demo. The build now defers both and rebuilds
each index once at the end, in bulk: the site starts with complete indexes
and an idle worker.
"""

from contextlib import contextmanager

from django.core.management import call_command
from django.db.models.signals import post_save
from modelsearch import index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update


@contextmanager
def indexes_deferred():
    """Saves inside enqueue no index task (deletes still update at once)."""
    models = [m for m in index.get_indexed_models() if getattr(m, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


def indexes_rebuild() -> None:
    call_command("rebuild_references_index", verbosity=0)
    call_command("update_index", verbosity=0)
