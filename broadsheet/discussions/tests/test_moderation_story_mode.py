"""Editors close or pre-moderate a story's discussion from its page in the
admin (the promote tab's "discussion" field), and the thread obeys."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from broadsheet.accounts.factories import UserFactory
from broadsheet.core.cache import memo_clear
from broadsheet.discussions.factories import reader_verified
from broadsheet.discussions.selectors import discussion_mode
from broadsheet.discussions.services import CommentRefused, comment_post
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def _article_data(story, photo, **extra):
    return nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "kind": "news",
            "standfirst": story.standfirst,
            "lead_photo": photo.pk,
            "bylines": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
            "tags": "",
            **extra,
        }
    )


@pytest.mark.parametrize("mode", ["closed", "premoderated", "open", ""])
def test_article_edit_form_saves_the_discussion_mode(client, world, mode):
    photo = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=photo)
    editor = UserFactory(username="ed", is_staff=True, groups=["Moderators"])
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert 'name="discussion_mode"' in client.get(url).content.decode()
    response = client.post(
        url, _article_data(story, photo, discussion_mode=mode, **{"action-publish": "1"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.discussion_mode == mode


def test_closed_from_the_admin_refuses_new_comments(client, world):
    photo = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=photo)
    client.force_login(UserFactory(username="ed", is_staff=True, groups=["Moderators"]))
    client.post(
        reverse("wagtailadmin_pages:edit", args=[story.pk]),
        _article_data(story, photo, discussion_mode="closed", **{"action-publish": "1"}),
    )
    story = ArticlePage.objects.get(pk=story.pk)
    assert discussion_mode(page=story) == "closed"
    with pytest.raises(CommentRefused, match="closed"):
        comment_post(user=reader_verified(username="r"), page=story, body="Hello")


def test_section_edit_form_saves_the_discussion_mode(client, world):
    client.force_login(UserFactory(username="ed", is_staff=True, groups=["Moderators"]))
    url = reverse("wagtailadmin_pages:edit", args=[world.pk])
    data = nested_form_data(
        {
            "title": world.title,
            "slug": world.slug,
            "intro": "",
            "discussion_mode": "premoderated",
            "action-publish": "1",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SectionPage.objects.get(pk=world.pk).discussion_mode == "premoderated"


SUMMARY = Template("{% load discussions %}{% discussion_summary story as d %}{{ d.shown }}")


def _shown(story, *, preview: bool = False) -> str:
    request = RequestFactory().get("/")
    request.is_preview = preview
    return SUMMARY.render(Context({"story": story, "request": request}))


def test_the_story_page_follows_a_published_mode_and_never_keeps_a_previewed_one(world):
    """The mode is kept per content version (discussion_summary); a preview
    renders a draft under the live story's id and must not leave its mode."""
    memo_clear()
    story = ArticlePageFactory(parent=world)
    draft = ArticlePage.objects.get(pk=story.pk)
    draft.discussion_mode = "closed"
    assert _shown(draft, preview=True) == "False"
    assert _shown(story) == "True", "the preview left nothing behind"
    assert _shown(draft, preview=True) == "False", "nor took the kept live mode"
    draft.save_revision().publish()
    assert _shown(ArticlePage.objects.get(pk=story.pk)) == "False"
