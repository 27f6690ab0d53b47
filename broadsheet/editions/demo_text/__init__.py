"""Demo copy for the editions (editions/demo.py): the English wire stories the
other editions translate, and per language its sections, authors, topics,
translated and original stories, a live story, comments, chat lines and
newsletter lists. Invented like news/demo_text.py: the same fictional places
(Valdoria, Port Meren, Norvik, Almara…), no real outlet's text.

A body is a tuple of blocks: a paragraph (str), ("h", subheading) or
("q", quote, attribution, role). A translation has the same blocks in the same
order as its English source, so each segment finds its counterpart.
"""

from dataclasses import dataclass

Block = str | tuple[str, ...]


@dataclass(frozen=True)
class Story:
    title: str
    standfirst: str
    body: tuple[Block, ...]
    # The English demo's section slug (the edition's own section is its translation).
    section: str = "world"
    kind: str = "news"
    dateline: str = ""
    # English tag names (TAGS of news/demo.py); each edition names them itself.
    tags: tuple[str, ...] = ()
    # Empty: made from the title (transliterated where the script is not Latin).
    slug: str = ""
    # Wire stories: the key translations refer to.
    key: str = ""


@dataclass(frozen=True)
class Live:
    title: str
    slug: str
    standfirst: str
    dateline: str
    # Stand-ins for the English live story's body paragraphs and key points.
    body: tuple[str, ...]
    key_points: tuple[str, ...]
    # (title or "", text) oldest first.
    posts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class EditionText:
    language: str
    time_zone: str
    tagline: str
    home_slug: str
    # English section slug → (title, slug, intro).
    sections: dict[str, tuple[str, str, str]]
    authors_index: tuple[str, str]
    topics_index: tuple[str, str]
    # English tag → (name, slug).
    tags: dict[str, tuple[str, str]]
    # English author name → (name, slug, role, biography).
    authors_translated: dict[str, tuple[str, str, str, str]]
    # (name, slug, role, biography) of writers of this edition only.
    authors_local: tuple[tuple[str, str, str, str], ...]
    gallery: tuple[str, str, str]
    # Wire key → the story in this language.
    translations: dict[str, Story]
    originals: tuple[Story, ...]
    live: Live
    # (username, display name) of readers who comment and chat in this language.
    readers: tuple[tuple[str, str], ...]
    comments: tuple[str, ...]
    # (title, slug, topic, lines)
    chat: tuple[str, str, str, tuple[str, ...]]
    # (slug, name, description) of the daily digest and the breaking-news list.
    digest_list: tuple[str, str, str]
    breaking_list: tuple[str, str, str]
    # Wire key published tomorrow in this edition only (the embargo demo).
    embargoed: str = ""


RU_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip


def latin(text: str) -> str:
    """Russian in Latin letters (ICAO Doc 9303, as in Russian passports): what
    Russian news sites put in their URLs. Other scripts pass through."""
    return "".join(RU_LATIN.get(ch, RU_LATIN.get(ch.lower(), ch)) for ch in text)
