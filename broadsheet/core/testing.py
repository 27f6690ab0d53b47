"""Helpers shared by the test suites of several apps."""

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

PURGED: list[str] = []


class RecordingPurgeBackend(BaseBackend):
    """A frontend-cache backend that records the URLs it is asked to purge."""

    def purge(self, url) -> None:
        PURGED.append(url)
