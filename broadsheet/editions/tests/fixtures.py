"""A small site in four editions, for any app's tests.

`edition_tree`: the English test tree (front page, World, Topics, an author)
with ru, es and ar front pages and sections, a story translated into every
edition, a story in English only, and a story written for the Russian
edition only. Use it from another app with
`pytest_plugins = ["broadsheet.editions.tests.fixtures"]` (or the root
conftest's list).
"""

from dataclasses import dataclass, field

import pytest
from wagtail.models import Locale, Page

from broadsheet.news.factories import ArticlePageFactory

EDITION_LANGUAGES = ("ru", "es", "ar")

TITLES = {
    "ru": {"home": "Бродшит", "World": "Мир", "story": "Гавань снова открыта"},
    "es": {"home": "Broadsheet", "World": "Mundo", "story": "El puerto vuelve a abrir"},
    "ar": {"home": "برودشيت", "World": "العالم", "story": "إعادة فتح الميناء"},
}


def translate(page: Page, locale: Locale, **fields) -> Page:
    """A published copy of `page` in `locale` (its parents copied as needed)."""
    copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy.specific


def translation_of(page: Page, language: str) -> Page:
    return page.get_translation(Locale.objects.get(language_code=language)).specific


@dataclass
class EditionTree:
    home: dict = field(default_factory=dict)  # language → front page
    world: dict = field(default_factory=dict)  # language → World section
    story: dict = field(default_factory=dict)  # language → the story in every edition
    english_only: Page | None = None
    russian_only: Page | None = None


def edition_tree_build(*, home, world, topics=None, author=None) -> EditionTree:
    tree = EditionTree(home={"en": home}, world={"en": world})
    story = ArticlePageFactory(parent=world, title="Harbour reopens", slug="harbour-reopens")
    tree.story["en"] = story
    tree.english_only = ArticlePageFactory(
        parent=world, title="Local council meets", slug="council-meets"
    )
    for language in EDITION_LANGUAGES:
        locale = Locale.objects.get_or_create(language_code=language)[0]
        titles = TITLES[language]
        tree.home[language] = translate(home, locale, title=titles["home"])
        for index in (topics, author and author.get_parent().specific):
            if index is not None:
                translate(index, locale)
        tree.world[language] = translate(world, locale, title=titles["World"])
        tree.story[language] = translate(story, locale, title=titles["story"])
    tree.russian_only = ArticlePageFactory(
        parent=tree.world["ru"], title="Только по-русски", slug="tolko-po-russki"
    )
    return tree


@pytest.fixture
def edition_tree(home, world, topics) -> EditionTree:
    return edition_tree_build(home=home, world=world, topics=topics)


def demo_editions_install(*, stories: int = 4) -> dict[str, dict[str, str]]:
    """Give the demo newsroom (load_demo) ru, es and ar editions for the
    browser tests: front page, sections, a few stories, a gallery and a live
    story translated. Idempotent: what exists (say the demo's own editions)
    is kept. Returns each language's story, gallery and live story paths."""
    from broadsheet.live.models import LiveStoryPage
    from broadsheet.news.models import ArticlePage, GalleryPage, HomePage, SectionPage

    english = Locale.objects.get(language_code="en")
    home = HomePage.objects.live().filter(locale=english, depth=2).first()
    sections = list(SectionPage.objects.live().child_of(home))
    articles = ArticlePage.objects.live().filter(locale=english).exact_type(ArticlePage)
    examples = {
        "story": articles.order_by("-published_at").first(),
        "gallery": GalleryPage.objects.live().filter(locale=english).first(),
        "live": LiveStoryPage.objects.live().filter(locale=english).first(),
    }
    pages = [home, *sections, *articles.order_by("-published_at")[:stories]]
    pages += [page for page in examples.values() if page is not None]
    paths = {"en": {kind: page.url for kind, page in examples.items() if page is not None}}
    for language in EDITION_LANGUAGES:
        locale = Locale.objects.get_or_create(language_code=language)[0]
        for page in pages:
            page = page.specific
            if page.get_translation_or_none(locale) is not None:
                continue
            title = TITLES[language]["home"] if page.pk == home.pk else f"{page.title} ({language})"
            translate(page, locale, title=title)
        paths[language] = {
            kind: page.get_translation(locale).url
            for kind, page in examples.items()
            if page is not None
        }
    return paths
