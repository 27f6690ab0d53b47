"""Writes a page read may make but must never wait for.

A reader's GET renders from the database and writes nothing it needs: at most
a reminder to the background worker (a photo's renditions are missing). On
SQLite every write takes the one write lock, and a writer holding it (a long
publish, an import, the task worker, a backup) would keep the reader waiting
SQLITE_BUSY_TIMEOUT (20 s) and then answer 503. Such a write is tried without
waiting for the lock and dropped when it cannot be made at once; the caller
asks again later (edge/tests/test_database_locked.py drills it).
"""

import logging
from collections.abc import Callable
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)


def write_if_free(write: Callable[[], object]) -> bool:
    """`write()` now if the database takes it without waiting; False if not
    (logged at debug level: a busy database is not an error)."""
    try:
        with _no_lock_wait(), transaction.atomic():
            write()
    except DatabaseError:
        logger.debug("optional write skipped: the database is busy", exc_info=True)
        return False
    return True


@contextmanager
def _no_lock_wait():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (waited,) = cursor.fetchone()
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")
