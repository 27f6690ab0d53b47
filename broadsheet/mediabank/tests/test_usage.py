"""Where a photo is used: the reference-index selectors and "Published in"."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.selectors import photo_published_in
from broadsheet.mediabank.usage import photo_pages, photos_pages
from broadsheet.news.factories import (
    ArticlePageFactory,
    GalleryPageFactory,
    story_body,
    story_schedule,
)

pytestmark = pytest.mark.django_db


def test_photo_pages_finds_lead_body_and_gallery_uses_in_any_state(world):
    photo, other = PhotoFactory(), PhotoFactory()
    lead = ArticlePageFactory(parent=world, lead_photo=photo)
    body = ArticlePageFactory(parent=world, body=story_body(seed=5, photo=photo))
    gallery = GalleryPageFactory(parent=world, photos=[other, photo])
    draft = ArticlePageFactory.build(
        live=False,
        published_at=None,
        first_published_at=None,
        last_published_at=None,
        lead_photo=photo,
    )
    world.add_child(instance=draft)
    ArticlePageFactory(parent=world)

    pages = photo_pages(photo=photo)
    assert {p.pk for p in pages} == {lead.pk, body.pk, gallery.pk, draft.pk}
    assert {type(p).__name__ for p in pages} == {"ArticlePage", "GalleryPage"}

    bulk = photos_pages(photos=[photo, other, PhotoFactory()])
    assert {p.pk for p in bulk[photo.pk]} == {lead.pk, body.pk, gallery.pk, draft.pk}
    assert {p.pk for p in bulk[other.pk]} == {gallery.pk}
    assert list(bulk.values())[2] == []


def test_published_in_lists_public_stories_and_galleries_using_the_photo(client, world):
    photo = PhotoFactory()
    in_body = ArticlePageFactory(
        parent=world, title="Body only story", body=story_body(seed=6, photo=photo)
    )
    gallery = GalleryPageFactory(parent=world, title="Pictures of the week", photos=[photo])
    embargoed = story_schedule(
        parent=world,
        go_live_at=timezone.now() + timedelta(hours=2),
        title="Embargoed story",
        body=story_body(seed=7, photo=photo),
    )
    public_lead = ArticlePageFactory(parent=world, title="Lead story")
    public_lead_photo = public_lead.lead_photo

    pages = photo_published_in(photo=photo)
    assert {p.pk for p in pages} == {in_body.pk, gallery.pk}
    assert [p.published_at for p in pages] == sorted((p.published_at for p in pages), reverse=True)
    assert embargoed.pk not in {p.pk for p in pages}

    html = client.get(reverse("mediabank:photo_detail", args=[photo.pk])).content.decode()
    assert "Body only story" in html and "Pictures of the week" in html
    assert "Embargoed story" not in html
    assert [p.pk for p in photo_published_in(photo=public_lead_photo)] == [public_lead.pk]


def test_published_in_costs_the_same_with_many_pages(world):
    photo = PhotoFactory()
    ArticlePageFactory(parent=world, lead_photo=photo)
    # Warmed first: whether any page is private is memoised per content
    # version, as are the editions' locale ids. Outside a request each of
    # those two lookups also reads that version (1 query each, which a
    # request does once for everything).
    photo_published_in(photo=photo)
    with CaptureQueriesContext(connection) as few:
        photo_published_in(photo=photo)
    for seed in range(8):
        ArticlePageFactory(parent=world, body=story_body(seed=seed, photo=photo))
        GalleryPageFactory(parent=world, photos=[photo])
    photo_published_in(photo=photo)
    with CaptureQueriesContext(connection) as many:
        assert len(photo_published_in(photo=photo)) == 10
    assert len(many) == len(few) <= 2 + 2
