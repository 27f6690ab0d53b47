"""Stream names: `newsfeed`, `live-<page id>`, `chat-<room id>`."""

import re

STREAM_RE = re.compile(r"^[a-z]+(-[0-9]+)?\Z")
STREAM_MAX_LENGTH = 64


def stream_is_valid(name: object) -> bool:
    return (
        isinstance(name, str)
        and len(name) <= STREAM_MAX_LENGTH
        and STREAM_RE.match(name) is not None
    )
