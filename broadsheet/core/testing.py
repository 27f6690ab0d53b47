"""Helpers shared by the test suites of several apps."""

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

PURGED: list[str] = []


class RecordingPurgeBackend(BaseBackend):
    """A frontend-cache backend that records the URLs it is asked to purge."""

    def purge(self, url) -> None:
        PURGED.append(url)


def without_render_times(content: bytes) -> bytes:
    """A page's bytes less its render time (`data-live-since`, on every page
    through the breaking banner): two renders a millisecond apart compare
    equal when nothing else differs."""
    import re

    return re.sub(rb'data-live-since="\d+"', b'data-live-since=""', content)


def postgres_url_of_test_database(*, host: str | None = None, port: int | None = None) -> str:
    """DATABASE_URL of the PostgreSQL test database this process uses, for a
    process a test starts (optionally reached through another address)."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    host = host or db["HOST"] or "127.0.0.1"
    port = port or db["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"
