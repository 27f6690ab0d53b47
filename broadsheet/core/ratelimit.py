"""A fixed-window request counter per client address, kept in Django's cache
(shared by every process when the cache is Redis)."""

from django.core.cache import cache


def client_ip(request) -> str:
    # REMOTE_ADDR as the server sees it: behind a trusted proxy broadsheet/asgi.py
    # has already put the reader's own address there.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ip_over_limit(request, *, scope: str, limit: int, window: int = 60) -> bool:
    """Count this request for its address under `scope`; True past `limit`
    requests within the window."""
    key = f"{scope}:{client_ip(request)}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return False
    return count > limit
