"""What every form that takes people's plain text refuses (comments, reports,
chat messages, live posts): NUL, and the bidirectional override and isolate
controls that make text display in another order than it is stored
("Trojan Source", CVE-2021-42574). Refused with a message, never stripped:
the writer sees what was wrong and loses nothing else."""

import re

_HIDDEN_CONTROLS = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


def text_has_hidden_controls(text: str) -> bool:
    return bool(_HIDDEN_CONTROLS.search(text))


def text_normalised(text: str | None) -> str:
    """One newline convention, no surrounding blank space."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
