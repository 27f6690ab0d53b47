"""The story search asks the full-text index once for the best matches
(selectors.stories_search) and must give what Wagtail's own, much slower,
query gives: the same stories in the same order, embargo respected."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage
from broadsheet.search.selectors import stories_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(world):
    stories = [
        ArticlePageFactory(parent=world, title="Glacier retreat speeds up"),
        ArticlePageFactory(parent=world, title="Ports reopen", standfirst="A glacier far away."),
        ArticlePageFactory(parent=world, title="Glacier glacier glacier: a summit"),
        ArticlePageFactory(parent=world, title="Football cup final"),
    ]
    embargoed = ArticlePageFactory(
        parent=world,
        title="Glacier glacier glacier glacier embargoed",
        published_at=timezone.now() + timedelta(hours=2),
    )
    return stories, embargoed


def _wagtails_own(query):
    found = ArticlePage.objects.published().search(query, operator="and")
    return list(found.get_queryset().values_list("pk", flat=True))


@pytest.mark.parametrize("query", ["glacier", "glacier summit", "football", "nothing here"])
def test_same_stories_in_the_same_order_as_wagtails_query(archive, query):
    assert stories_search(query=query, limit=50).ids == _wagtails_own(query)


def test_the_embargoed_story_is_never_among_them(archive):
    _stories, embargoed = archive
    assert embargoed.pk in ArticlePage.objects.search("glacier").get_queryset().values_list(
        "pk", flat=True
    )  # indexed, and the best match of all
    assert embargoed.pk not in stories_search(query="glacier", limit=50).ids


def test_the_best_n_and_whether_there_were_more(archive):
    found = stories_search(query="glacier", limit=2)
    assert len(found.ids) == 2 and found.capped
    assert not stories_search(query="glacier", limit=3).capped


def test_the_search_page_costs_the_same_however_many_match(client, archive, world):
    url = reverse("search")
    client.get(url, {"q": "glacier"})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"q": "glacier"})
    for n in range(30):
        ArticlePageFactory(parent=world, title=f"Glacier report {n}")
    client.get(url, {"q": "glacier"})  # the memo after the publishes
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, {"q": "glacier"})
    assert len(response.context["results"].object_list) == 20
    assert len(many) == len(few)


def test_single_letters_are_not_searched_for(archive):
    (retreat, *_rest), _embargoed = archive
    assert stories_search(query="a", limit=50).ids == []
    assert stories_search(query="a I x", limit=50).ids == []
    assert retreat.pk in stories_search(query="a glacier", limit=50).ids


def test_a_repeated_search_comes_from_the_memo_until_something_is_published(archive, world):
    stories_search(query="glacier", limit=50)
    with CaptureQueriesContext(connection) as repeated:
        again = stories_search(query="GLACIER", limit=50).ids
    assert not [q for q in repeated if "MATCH" in q["sql"]]
    fresh = ArticlePageFactory(parent=world, title="Glacier news just in")
    assert fresh.pk in stories_search(query="glacier", limit=50).ids
    assert set(again) < set(stories_search(query="glacier", limit=50).ids)
