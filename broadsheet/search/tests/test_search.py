from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(world):
    a = ArticlePageFactory(parent=world, title="Glacier retreat speeds up in Norvik")
    b = ArticlePageFactory(
        parent=world, title="Norvik football club wins cup", lead_photo=a.lead_photo
    )
    hidden = ArticlePageFactory(
        parent=world,
        title="Glacier embargo story",
        lead_photo=a.lead_photo,
        published_at=timezone.now() + timedelta(hours=3),
    )
    return a, b, hidden


def test_search_finds_published_stories_only(client, stories):
    glacier, football, hidden = stories
    response = client.get(reverse("search"), {"q": "glacier"})
    assert response.status_code == 200
    found = list(response.context["results"])
    assert glacier in found
    assert football not in found
    assert hidden not in found
    assert "embargo" not in response.content.decode().lower()


def test_search_without_query_shows_the_form(client, home):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


@pytest.mark.parametrize("page", ["x", "0", "-1", "999", "26"])
def test_bad_result_page_is_404_not_500(client, stories, page):
    assert client.get(reverse("search"), {"q": "norvik", "page": page}).status_code == 404


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1 --", "<script>alert(1)</script>", "a" * 5000, "\x00", '"', "*", "AND OR NOT"],
)
def test_hostile_queries_are_harmless(client, stories, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
