"""SQLite's planner statistics (core/services.database_statistics_refresh)."""

import pytest
from django.core.management import call_command
from django.db import connection

from broadsheet.core import services

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def _statistics_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return 0
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1")
        return cursor.fetchone()[0]


def test_statistics_are_gathered_then_left_for_an_hour(monkeypatch, home):
    monkeypatch.setattr(services, "_statistics_refreshed", None)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    assert services.database_statistics_refresh() is True
    assert _statistics_rows() > 0
    assert services.database_statistics_refresh() is False
    assert services.database_statistics_refresh(force=True) is True
    clock = services._statistics_refreshed
    monkeypatch.setattr(services.time, "monotonic", lambda: clock + 3601)
    assert services.database_statistics_refresh() is True


def test_the_scheduler_pass_gathers_them(monkeypatch, home):
    monkeypatch.setattr(services, "_statistics_refreshed", None)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    call_command("run_scheduler", "--once")
    assert _statistics_rows() > 0
