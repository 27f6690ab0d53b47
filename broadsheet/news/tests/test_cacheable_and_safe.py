"""Anonymous pages stay cacheable by a CDN, and editor-written markup stays inert."""

import pytest
from django.urls import reverse
from wagtail.rich_text import RichText

from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world, author, topics):
    return ArticlePageFactory(parent=world, authors=[author], tag_names=["Climate"])


def test_anonymous_pages_carry_no_csrf_token_and_set_no_cookie(client, story, author, topics):
    urls = [
        "/",
        story.get_parent().url,
        story.url,
        author.url,
        topics.url,
        f"{topics.url}climate/",
        reverse("newsfeed"),
        reverse("search") + "?q=x",
        reverse("rss_latest"),
        "/sitemap.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"csrfmiddlewaretoken" not in response.content, url
        assert not response.cookies, (url, response.cookies)


def test_javascript_links_in_rich_text_are_not_rendered(client, world):
    story = ArticlePageFactory(
        parent=world,
        body=[
            (
                "paragraph",
                RichText(
                    '<p><a href="javascript:alert(1)">click</a> '
                    '<a href="https://example.org/ok">fine</a></p>'
                ),
            ),
            (
                "quote",
                {"quote": "<script>alert(2)</script>", "attribution": "<b>x</b>", "role": ""},
            ),
        ],
    )
    html = client.get(story.url).content.decode()
    assert "javascript:alert(1)" not in html
    assert 'href="https://example.org/ok"' in html
    assert "<script>alert(2)</script>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_internal_links_and_formatting_survive_the_clean(client, world):
    target = ArticlePageFactory(parent=world, title="Linked story")
    story = ArticlePageFactory(
        parent=world,
        body=[
            (
                "paragraph",
                RichText(
                    f'<p><b>Bold</b> <i>it</i> <a linktype="page" id="{target.pk}">see</a></p>'
                    "<ul><li>one</li></ul>"
                ),
            )
        ],
    )
    html = client.get(story.url).content.decode()
    assert f'href="{target.url}"' in html
    assert "<b>Bold</b>" in html and "<li>one</li>" in html
