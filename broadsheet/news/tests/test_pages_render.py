from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_article_renders_headline_standfirst_and_credit(client, world, author):
    story = ArticlePageFactory(parent=world, title="Harbour reopens", authors=[author])
    response = client.get(story.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harbour reopens" in html
    assert escape(story.standfirst) in html
    assert story.lead_photo.credit_line in html
    assert 'rel="author"' in html


def test_section_lists_newest_first(client, world):
    old = ArticlePageFactory(parent=world, published_at=timezone.now() - timedelta(days=2))
    new = ArticlePageFactory(parent=world, published_at=timezone.now() - timedelta(hours=1))
    html = client.get(world.url).content.decode()
    assert html.index(escape(new.title)) < html.index(escape(old.title))
