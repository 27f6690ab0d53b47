"""A site-wide content version: fragments cached under it expire the moment
anything is published, unpublished or deleted (bumped after commit)."""

from django.core.cache import cache

_KEY = "broadsheet:content-version"


def content_version() -> int:
    return cache.get_or_set(_KEY, 1, timeout=None)


def content_version_bump() -> None:
    try:
        cache.incr(_KEY)
    except ValueError:
        cache.set(_KEY, 2, timeout=None)
