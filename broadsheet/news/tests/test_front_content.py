"""The front page below its header is rendered once per process per content
and discussions version (news/templatetags/front.py): kept while nothing
changes, rendered again by a publish anywhere or a new comment, never kept
for a preview."""

import pytest
from django.test import Client

from broadsheet.discussions.factories import reader_verified
from broadsheet.discussions.services import comment_post
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.templatetags import front
from broadsheet.news.testing import renders_counted

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    return renders_counted(monkeypatch, front)


def _front() -> str:
    response = Client().get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_kept_until_a_publish_or_a_comment(world, renders):
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    assert "Harbour reopens" in _front()
    _front()
    assert renders["front_content.html"] == 1

    ArticlePageFactory(parent=world, title="Ferries return").save_revision().publish()
    assert "Ferries return" in _front()
    assert renders["front_content.html"] == 2

    comment_post(user=reader_verified(), page=story, body="Good news")
    assert '<span class="teaser__comments">1 comment</span>' in _front()
    assert renders["front_content.html"] == 3


def test_each_edition_has_its_own(world, renders):
    ArticlePageFactory(parent=world, title="Harbour reopens")
    english, russian = _front(), Client().get("/ru/").content.decode()
    assert 'lang="en"' in english and 'lang="ru"' in russian
    assert renders["front_content.html"] == 2


def test_a_preview_of_the_front_page_is_never_kept(home, world, renders):
    ArticlePageFactory(parent=world, title="Harbour reopens")
    _front()
    home.get_latest_revision_as_object().make_preview_request()
    home.get_latest_revision_as_object().make_preview_request()
    _front()
    assert renders["front_content.html"] == 3
