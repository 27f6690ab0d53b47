"""Wagtail's page privacy still holds with the no-private-pages shortcut."""

import pytest
from wagtail.models import PageViewRestriction

from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_password_and_login_restrictions_apply_and_lift(client, world):
    story = ArticlePageFactory(parent=world, title="Members-only briefing")
    assert client.get(story.url).status_code == 200

    restriction = PageViewRestriction.objects.create(
        page=world, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = client.get(story.url)
    assert "Members-only briefing" not in response.content.decode()
    assert "password" in response.content.decode().lower()

    restriction.restriction_type = PageViewRestriction.LOGIN
    restriction.save()
    response = client.get(story.url)
    assert response.status_code == 302 and "login" in response["Location"]

    restriction.delete()
    assert client.get(story.url).status_code == 200
