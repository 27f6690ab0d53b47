"""Templates rendered from plain values, once per process per distinct values.

Django's template engine costs tens of microseconds per node, and a page
repeats the same small parts for every reader: story cards, the head's
scripts and styles, the subscription offer, the discussion link. Such a part
rendered from plain values alone (never a model instance, never the request's
context) is the same markup for the same values, so it is kept in the
per-process memo (core/cache.py) under exactly those values, plus the
language and time zone its tags and filters read. A change is a new key by
construction: nothing goes stale and nothing needs invalidating; entries of
old values age out of the memo (MEMO_TTL, least recently used first).

Surrogate keys the template names while rendering are named again on every
answer that reuses it (core/cache.memoized).
"""

from collections.abc import Callable

from django.template.loader import get_template
from django.utils import timezone, translation

from .cache import memoized


def template_by_value(
    template_name: str, values: dict, *, context: Callable[[dict], dict] | None = None
) -> str:
    """`template_name` rendered with `values` (hashable) alone; `context`
    derives the template's context from them where the template wants more."""
    key = (
        template_name,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        *values.items(),
    )
    return memoized(
        key,
        lambda: get_template(template_name).render(context(values) if context else values),
        version=0,
    )
