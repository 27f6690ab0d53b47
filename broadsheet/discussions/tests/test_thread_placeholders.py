"""A moderator's rejection, like a deletion, keeps the replies of a comment in
their thread (the count includes them) under a one-line placeholder."""

import pytest
from django.urls import reverse

from broadsheet.discussions.factories import CommentFactory
from broadsheet.discussions.models import CommentStatus
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [CommentStatus.REJECTED, CommentStatus.REMOVED])
def test_a_hidden_comment_with_visible_replies_is_a_placeholder(client, world, status):
    story = ArticlePageFactory(parent=world)
    top = CommentFactory(page=story, status=status, body="The hidden words")
    CommentFactory(page=story, parent=top, body="A visible answer")
    lone = CommentFactory(page=story, status=status, body="Alone and hidden")
    html = client.get(reverse("discussions:thread", args=[story.pk])).content.decode()
    assert "This comment was deleted." in html
    assert "A visible answer" in html
    assert "The hidden words" not in html
    assert lone.body not in html
