"""Swapping a photo on every page: live pages republished, drafts kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import PageLogEntry

from broadsheet.accounts.factories import UserFactory
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.services import SwapRefused, photo_swap
from broadsheet.mediabank.usage import photo_pages
from broadsheet.news.factories import ArticlePageFactory, GalleryPageFactory, story_body
from broadsheet.news.models import ArticlePage, GalleryPage

pytestmark = pytest.mark.django_db


def _body_photos(page) -> list[int]:
    return [child.value["image"].pk for child in page.body if child.block_type == "image"]


@pytest.fixture
def editor(db):
    return UserFactory(username="rights", is_superuser=True, is_staff=True)


def test_swap_on_a_live_page_replaces_lead_body_and_gallery_photos(world, editor):
    old, new = PhotoFactory(), PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=old, body=story_body(seed=1, photo=old))
    story.save_revision().publish()
    gallery = GalleryPageFactory(parent=world, photos=[PhotoFactory(), old])
    gallery.save_revision().publish()
    assert {p.pk for p in photo_pages(photo=old)} == {story.pk, gallery.pk}

    result = photo_swap(old=old, new=new, user=editor)

    assert result.count == 2
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.lead_photo_id == new.pk
    assert _body_photos(story) == [new.pk]
    assert not story.has_unpublished_changes
    assert story.live_revision.user == editor
    gallery = GalleryPage.objects.get(pk=gallery.pk)
    assert [item.photo_id for item in gallery.photos][1] == new.pk
    assert gallery.cover_photo_id != old.pk
    assert PageLogEntry.objects.filter(page=story, action="wagtail.publish", user=editor).exists()
    assert photo_pages(photo=old) == []
    assert {p.pk for p in photo_pages(photo=new)} == {story.pk, gallery.pk}


def test_swap_keeps_an_editors_unpublished_changes(world, editor):
    old, new = PhotoFactory(), PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=old, title="Live headline")
    story.save_revision().publish()
    draft = ArticlePage.objects.get(pk=story.pk)
    draft.title = "Draft headline"
    draft.body = story_body(seed=2, photo=old)
    draft.save_revision()

    photo_swap(old=old, new=new, user=editor)

    story = ArticlePage.objects.get(pk=story.pk)
    assert story.title == "Live headline"
    assert story.lead_photo_id == new.pk, "the live page is republished with the new photo"
    assert story.has_unpublished_changes
    latest = story.get_latest_revision_as_object()
    assert latest.title == "Draft headline", "the editor's draft is still the latest revision"
    assert latest.lead_photo_id == new.pk
    assert _body_photos(latest) == [new.pk]
    assert story.get_latest_revision().user == editor


def test_swap_on_a_draft_only_page_saves_a_revision(world, editor):
    old, new = PhotoFactory(), PhotoFactory()
    story = ArticlePageFactory.build(
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        lead_photo=old,
    )
    world.add_child(instance=story)
    story.save_revision()

    result = photo_swap(old=old, new=new, user=editor)

    story = ArticlePage.objects.get(pk=story.pk)
    assert not story.live
    assert result.count == 1
    assert story.get_latest_revision_as_object().lead_photo_id == new.pk
    assert story.get_latest_revision().user == editor
    assert photo_pages(photo=old) == []


def test_swap_refuses_the_same_photo_or_an_unusable_one(world, editor):
    old = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=old)
    withdrawn = PhotoFactory(restricted=True)
    expired = PhotoFactory(licence_expires_at=timezone.now() - timedelta(days=1))
    for bad in (old, withdrawn, expired):
        with pytest.raises(SwapRefused):
            photo_swap(old=old, new=bad, user=editor)
    assert ArticlePage.objects.get(pk=story.pk).lead_photo_id == old.pk


def test_swap_in_the_admin(client, world, editor):
    old, new = PhotoFactory(), PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=old)
    story.save_revision().publish()
    client.force_login(editor)
    url = reverse("mediabank_admin:photo_swap", args=[old.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert escape(story.title) in page.content.decode()

    refused = client.post(url, {"replacement": old.pk})
    assert refused.status_code == 400
    assert "different photo" in refused.content.decode()
    assert client.post(url, {"replacement": "nonsense"}).status_code == 400

    done = client.post(url, {"replacement": new.pk})
    assert done.status_code == 302
    assert ArticlePage.objects.get(pk=story.pk).lead_photo_id == new.pk
