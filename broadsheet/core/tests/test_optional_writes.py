"""core/optional_writes.py: a write a page read may skip."""

import pytest
from django.db import DatabaseError, connection, transaction

from broadsheet.core.models import ContentVersion
from broadsheet.core.optional_writes import write_if_free

pytestmark = pytest.mark.django_db


def test_a_write_that_fails_is_dropped_and_the_request_goes_on():
    def failing():
        ContentVersion.objects.create(pk=90, version=1)
        raise DatabaseError("database is locked")

    with transaction.atomic():  # as inside a write request, where a failure must not spoil it
        assert write_if_free(failing) is False
        assert not ContentVersion.objects.filter(pk=90).exists(), "rolled back whole"
        ContentVersion.objects.create(pk=91, version=1)
    assert ContentVersion.objects.filter(pk=91).exists()


def test_a_write_that_can_be_made_is_made():
    assert write_if_free(lambda: ContentVersion.objects.create(pk=92, version=1)) is True
    assert ContentVersion.objects.filter(pk=92).exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] > 0, "the lock wait of other writes is back"
