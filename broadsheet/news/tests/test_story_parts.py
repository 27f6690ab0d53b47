"""A story's headline, byline, photo and body are rendered once per process
and kept until something they show changes (news/templatetags/story_parts.py,
core/fragments.py): not after every publish of another story, always after a
change of the story, its author or its photo, never for a preview."""

import pytest
from django.test import Client

from broadsheet.discussions.factories import reader_verified
from broadsheet.discussions.services import comment_post
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.templatetags import story_parts
from broadsheet.news.testing import renders_counted

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    return renders_counted(monkeypatch, story_parts)


def _page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_parts_outlive_another_storys_publish(world, author, renders):
    story = ArticlePageFactory(parent=world, authors=[author], title="Harbour reopens")
    _page(story.url)
    assert renders == {
        "story_page_head.html": 1,
        "story_article.html": 1,
        "story_headline.html": 1,
        "story_byline.html": 1,
        "story_main.html": 1,
    }
    other = ArticlePageFactory(parent=world, title="Another story")
    other.save_revision().publish()
    html = _page(story.url)
    assert "Harbour reopens" in html
    assert "Another story" in html, "the newsfeed box beside it is fresh"
    assert renders["story_main.html"] == 1 and renders["story_headline.html"] == 1


def test_republishing_the_story_renders_it_again(world, renders):
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    _page(story.url)
    story.title = "Harbour reopens after storm"
    story.search_description = "Ships are back in the harbour."
    story.save_revision().publish()
    html = _page(story.url)
    assert "Harbour reopens after storm</h1>" in html
    assert '<meta property="og:title" content="Harbour reopens after storm">' in html
    assert '<meta name="description" content="Ships are back in the harbour.">' in html
    assert renders["story_headline.html"] == 2
    assert renders["story_page_head.html"] == 2


def test_an_author_renamed_shows_in_the_byline(world, author, renders):
    story = ArticlePageFactory(parent=world, authors=[author])
    assert "Amara Okafor" in _page(story.url)
    author.title = "Amara Okafor-Reyes"
    author.save_revision().publish()
    assert "Amara Okafor-Reyes" in _page(story.url)
    assert renders["story_byline.html"] == 2


def test_a_photo_edit_shows_in_the_credit(world, renders):
    story = ArticlePageFactory(parent=world)
    photo = story.lead_photo
    _page(story.url)
    photo.photographer = "Lena Park"
    photo.save()
    assert "Lena Park" in _page(story.url)
    assert renders["story_main.html"] == 2


def test_a_preview_is_never_kept_nor_served_from_the_kept_parts(world, renders):
    story = ArticlePageFactory(parent=world, title="Live headline")
    _page(story.url)
    draft = story.get_latest_revision_as_object()
    draft.title = "Draft headline"
    preview = draft.make_preview_request().content.decode()
    assert "Draft headline</h1>" in preview
    html = _page(story.url)
    assert "Live headline</h1>" in html and "Draft headline" not in html


def test_a_new_comment_shows_its_count_without_rendering_the_story_again(world, renders):
    """The <article> is kept under its comment count; its headline, body and
    the page's head are kept apart from it and are not rendered again."""
    story = ArticlePageFactory(parent=world)
    assert "1 comment<" not in _page(story.url)
    comment_post(user=reader_verified(), page=story, body="A first word")
    html = _page(story.url)
    assert f'<a href="#discussion-{story.pk}">1 comment</a>' in html
    assert renders["story_article.html"] == 2
    assert renders["story_main.html"] == 1
    assert renders["story_page_head.html"] == 1


def test_a_made_up_query_does_not_multiply_the_kept_head(world, renders):
    """Any reader can put a query on a story's address; the head is kept under
    whether the address is bare, not under the query (and a bare address
    lists the other editions, a filtered one does not)."""
    story = ArticlePageFactory(parent=world)
    for query in ("", "?utm_source=x", "?a=1", "?a=2", "?b=3"):
        _page(story.url + query)
    assert renders["story_page_head.html"] == 2
