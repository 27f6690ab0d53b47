"""Story cards are kept in the memo under the exact values they print
(news/templatetags/cards.py): a changed story, comment count or language is a
new card at once, with no invalidation, while an unchanged card is not
rendered again."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.templatetags import cards

pytestmark = pytest.mark.django_db

TEASER = Template('{% load cards %}{% teaser story variant="row" show_standfirst=True %}')
FEED_ITEM = Template("{% load cards %}{% feed_item story new_day=True %}")


@pytest.fixture
def renders(monkeypatch):
    """The values of each card rendered (its memo entry missed)."""
    counted = []
    real = cards._card_context
    monkeypatch.setattr(cards, "_card_context", lambda v: counted.append(v) or real(v))
    return counted


def _render(template, story) -> str:
    return template.render(Context({"story": story, "request": RequestFactory().get("/")}))


def test_an_unchanged_card_is_rendered_once(world, renders):
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    first = _render(TEASER, story)
    assert "Harbour reopens" in first and _render(TEASER, story) == first
    assert len(renders) == 1


def test_a_changed_title_is_a_new_card_without_invalidation(world, renders):
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    _render(TEASER, story)
    story.title, story.standfirst = "Harbour reopens after storm", "Ships wait <b>no</b> more"
    html = _render(TEASER, story)
    assert "Harbour reopens after storm" in html
    assert "Ships wait &lt;b&gt;no&lt;/b&gt; more" in html, "values are escaped as before"
    assert len(renders) == 2


def test_the_comment_count_is_read_on_every_call(world, monkeypatch):
    story = ArticlePageFactory(parent=world)
    monkeypatch.setattr(cards, "comment_count", lambda story: 3)
    assert "3 comments" in _render(TEASER, story)
    monkeypatch.setattr(cards, "comment_count", lambda story: 1)
    assert "1 comment<" in _render(TEASER, story)


def test_each_language_has_its_own_card(world):
    story = ArticlePageFactory(parent=world, coverage="live")
    assert ">Live<" in _render(TEASER, story)
    with translation.override("ru"):
        assert ">Live<" not in _render(TEASER, story)


def test_feed_item_prints_the_day_and_the_cursor(world):
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    html = _render(FEED_ITEM, story)
    assert 'class="feed-day"' in html and f'data-story-id="{story.pk}"' in html
    assert "data-cursor=" in html and "Harbour reopens" in html


@pytest.mark.parametrize("language", ["en", "ru", "ar"])
def test_the_kind_label_is_django_s_in_every_language(world, language):
    story = ArticlePageFactory(parent=world)
    for kind, _label in type(story)._meta.get_field("kind").flatchoices:
        story.kind = kind
        with translation.override(language):
            assert cards.kind_label(story) == str(story.get_kind_display())
