"""Keyset ("cursor") pagination for story listings.

A cursor names the last story a reader has seen by its public time and id,
so the next page is `WHERE (published_at, id) < (t, id)` on an index: the
same cost on page 1 and page 10,000, unlike OFFSET.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import BadRequest

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"^(?P<micros>\d{1,17})\.(?P<pk>\d{1,12})$")


@dataclass(frozen=True)
class Cursor:
    published_at: datetime
    pk: int

    def encode(self) -> str:
        micros = (self.published_at - _EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.pk}"

    @classmethod
    def for_story(cls, story) -> "Cursor":
        return cls(story.published_at, story.pk)

    @classmethod
    def decode(cls, raw: str) -> "Cursor":
        match = _CURSOR.match(raw or "")
        if not match:
            raise BadRequest("Malformed cursor.")
        try:
            when = _EPOCH + timedelta(microseconds=int(match["micros"]))
        except OverflowError as exc:
            raise BadRequest("Cursor out of range.") from exc
        return cls(when, int(match["pk"]))
