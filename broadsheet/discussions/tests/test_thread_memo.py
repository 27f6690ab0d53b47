"""The anonymous thread fragment is the same for every reader: it is rendered
once per process per discussions version, and a new comment shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.discussions.factories import CommentFactory, reader_verified
from broadsheet.discussions.services import comment_post
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_second_anonymous_reader_gets_the_fragment_from_the_memo(
    client, world, django_capture_on_commit_callbacks
):
    story = ArticlePageFactory(parent=world)
    CommentFactory.create_batch(5, page=story)
    url = reverse("discussions:thread", args=[story.pk])
    first = client.get(url, **HTMX)
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(url, **HTMX)
    assert second.content == first.content
    assert len(second_queries) <= 2, [q["sql"][:80] for q in second_queries]
    assert "private" not in second["Cache-Control"] and "s-maxage=10" in second["Cache-Control"]

    reader = reader_verified(display_name="Nadia")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(user=reader, page=story, body="Fresh from the harbour")
    assert "Fresh from the harbour" in client.get(url, **HTMX).content.decode()


def test_signed_in_readers_never_get_the_shared_fragment(client, world):
    story = ArticlePageFactory(parent=world)
    url = reverse("discussions:thread", args=[story.pk])
    client.get(url, **HTMX)
    reader = reader_verified(display_name="Omar")
    client.force_login(reader)
    response = client.get(url, **HTMX)
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "private" in response["Cache-Control"]
