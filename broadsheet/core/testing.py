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
