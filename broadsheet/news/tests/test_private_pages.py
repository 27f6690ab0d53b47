"""Wagtail's page privacy still holds with the no-private-pages shortcut."""

import pytest
from wagtail.models import PageViewRestriction

from broadsheet.news.factories import ArticlePageFactory, SectionPageFactory
from broadsheet.news.testing import sitemaps_text

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


def test_private_stories_are_listed_nowhere(client, home, world, topics):
    """A story under a view restriction keeps its headline off every listing
    that readers outside the restriction see, and its tag's page with it."""
    ArticlePageFactory(parent=world, title="Harbour reopens", tag_names=["Harbours"])
    members = SectionPageFactory(parent=home, title="Members", slug="members")
    story = ArticlePageFactory(
        parent=members, title="Qxq members briefing", tag_names=["Qxq pricing"]
    )
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    urls = [
        "/",
        "/newsfeed/",
        "/feeds/latest.xml",
        "/feeds/latest.atom",
        "/feeds/latest.json",
        "/sitemap-pages.xml",
        "/sitemap-news.xml",
        "/search/?q=members+briefing",
        topics.url,
    ]
    assert [url for url in urls if "Qxq" in client.get(url).content.decode()] == []
    assert "qxq" not in sitemaps_text(client).lower()
    assert client.get(f"{topics.url}qxq-pricing/").status_code == 404
    assert client.get(f"/discussions/{story.pk}/").status_code == 404
    # Its topic's feed and its section's feed too: a feed reader cannot sign in.
    assert client.get("/feeds/topics/qxq-pricing.json").status_code == 404
    assert client.get("/feeds/members.xml").status_code == 404

    PageViewRestriction.objects.all().delete()
    assert "Qxq members briefing" in client.get("/newsfeed/").content.decode()
    assert story.url in sitemaps_text(client)
    assert client.get(f"{topics.url}qxq-pricing/").status_code == 200
