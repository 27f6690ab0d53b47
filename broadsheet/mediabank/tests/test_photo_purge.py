"""Changing a photo purges the public pages showing it and its media bank page."""

import pytest
from django.conf import settings
from django.urls import reverse

from broadsheet.core.cache import content_version
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory, GalleryPageFactory, story_body

pytestmark = pytest.mark.django_db

BASE = settings.SITE_URL


def test_withdrawing_a_photo_purges_its_pages_and_bank_page_after_commit(
    world, purged, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=photo)
    in_body = ArticlePageFactory(parent=world, body=story_body(seed=4, photo=photo))
    gallery = GalleryPageFactory(parent=world, photos=[PhotoFactory(), photo])
    unrelated = ArticlePageFactory(parent=world)
    before = content_version()
    purged.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        photo.restricted = True
        photo.save()
    assert purged == [], "nothing is purged before the transaction commits"
    assert content_version() == before + 1
    for callback in callbacks:
        callback()

    bank = f"{BASE}{reverse('mediabank:photo_detail', args=[photo.pk])}"
    assert {f"{BASE}{story.url}", f"{BASE}{in_body.url}", f"{BASE}{gallery.url}", bank} <= set(
        purged
    )
    assert f"{BASE}/ru/mediabank/{photo.pk}/" in purged
    assert f"{BASE}{unrelated.url}" not in purged


def test_bookkeeping_saves_purge_nothing(world, purged, django_capture_on_commit_callbacks):
    photo = PhotoFactory()
    ArticlePageFactory(parent=world, lead_photo=photo)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        photo.file_size = 1234
        photo.save(update_fields=["file_size"])
    assert purged == []


def test_deleting_a_photo_purges_the_pages_that_showed_it(
    world, purged, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    story = ArticlePageFactory(parent=world, lead_photo=photo)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert f"{BASE}{story.url}" in purged
