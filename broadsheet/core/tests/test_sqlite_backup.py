import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from broadsheet.accounts.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]


def test_online_backup_copies_the_data_and_checks_integrity(tmp_path):
    UserFactory(username="kept-in-backup")
    destination = tmp_path / "backup.sqlite3"
    call_command("backup_sqlite", str(destination))
    with sqlite3.connect(destination) as copy:
        rows = copy.execute("SELECT username FROM accounts_user").fetchall()
    assert ("kept-in-backup",) in rows
    with pytest.raises(CommandError, match="exists"):
        call_command("backup_sqlite", str(destination))


def test_sqlite_is_tuned_for_a_real_site():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
