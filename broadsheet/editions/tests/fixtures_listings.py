"""Edition trees for the listing tests: the English tree of the news fixtures
(front page, World, topics, authors) translated into ru, es and ar with
Wagtail's copy_for_translation, as the newsroom's "translate into …" does,
and a few stories in each.

Import with `from broadsheet.editions.tests.fixtures_listings import *`.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale

from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage

__all__ = ["EditionTree", "Newsroom", "newsroom", "newsroom_ru", "page_translate"]

TITLES = {
    "ru": {"home": "Бродшит", "world": "Мир", "topics": "Темы", "authors": "Авторы"},
    "es": {"home": "Broadsheet ES", "world": "Mundo", "topics": "Temas", "authors": "Autores"},
    "ar": {"home": "برودشيت", "world": "العالم", "topics": "مواضيع", "authors": "الكتّاب"},
}


def page_translate(page, locale, **fields):
    """The page's translation into `locale`, published, with `fields` set."""
    copy = page.specific.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy.specific


@dataclass
class EditionTree:
    code: str
    locale: Locale
    home: object
    world: object
    topics: object
    authors: object
    author: object
    stories: list = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return "" if self.code == "en" else f"/{self.code}"


@dataclass
class Newsroom:
    trees: dict[str, EditionTree]

    def __getitem__(self, code: str) -> EditionTree:
        return self.trees[code]

    def story(self, code: str, title: str, *, minutes_ago: int = 5, **fields) -> ArticlePage:
        """A story written for one edition only."""
        tree = self.trees[code]
        story = ArticlePageFactory(
            parent=tree.world,
            title=title,
            published_at=timezone.now() - timedelta(minutes=minutes_ago),
            authors=[tree.author],
            tag_names=["harbour"],
            **fields,
        )
        tree.stories.append(story)
        return story

    def translate(self, story, code: str, title: str, **fields) -> ArticlePage:
        translation = page_translate(story, self.trees[code].locale, title=title, **fields)
        self.trees[code].stories.append(translation)
        return translation


def newsroom_build(*, home, world, topics, author, codes) -> Newsroom:
    """en (the news fixtures' tree) plus translations into `codes` of its
    front page, World, topics and authors pages; the author's byline on a
    translated story stays on the English author page, as copy_for_translation
    leaves it (the author's page in each edition lists that edition's stories
    under either)."""
    english = Locale.objects.get(language_code="en")
    trees = {
        "en": EditionTree("en", english, home, world, topics, author.get_parent().specific, author)
    }
    for code in codes:
        titles = TITLES[code]
        locale = Locale.objects.create(language_code=code)
        trees[code] = EditionTree(
            code=code,
            locale=locale,
            home=page_translate(home, locale, title=titles["home"]),
            world=page_translate(world, locale, title=titles["world"]),
            topics=page_translate(topics, locale, title=titles["topics"]),
            authors=page_translate(author.get_parent(), locale, title=titles["authors"]),
            author=page_translate(author, locale),
        )
    return Newsroom(trees=trees)


@pytest.fixture
def newsroom(home, world, topics, author) -> Newsroom:
    """Four editions: en, ru, es, ar."""
    return newsroom_build(
        home=home, world=world, topics=topics, author=author, codes=["ru", "es", "ar"]
    )


@pytest.fixture
def newsroom_ru(home, world, topics, author) -> Newsroom:
    """Two editions (cheaper): en and ru."""
    return newsroom_build(home=home, world=world, topics=topics, author=author, codes=["ru"])
