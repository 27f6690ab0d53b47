"""A story's headline, byline, photo and body are rendered once per process
and kept until something they show changes (news/templatetags/story_parts.py,
core/fragments.py): not after every publish of another story, always after a
change of the story, its author or its photo, never for a preview."""

from collections import Counter

import pytest
from django.test import Client

from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.templatetags import story_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """How often each story part was rendered."""
    counted = Counter()
    real = story_parts.render_to_string

    def counting(template_name, *args, **kwargs):
        counted[template_name.rsplit("/", 1)[-1]] += 1
        return real(template_name, *args, **kwargs)

    monkeypatch.setattr(story_parts, "render_to_string", counting)
    return counted


def _page(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_parts_outlive_another_storys_publish(world, author, renders):
    story = ArticlePageFactory(parent=world, authors=[author], title="Harbour reopens")
    _page(story.url)
    assert renders == {
        "story_seo.html": 1,
        "story_head_tags.html": 1,
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
    assert renders["story_seo.html"] == 2


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
