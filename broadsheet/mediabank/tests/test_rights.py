"""Photo rights: a withdrawn photo, or one whose licence has expired, is
replaced by a placeholder everywhere the public sees it, without anyone
editing the stories that use it."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.factories import UserFactory
from broadsheet.core.cache import content_version
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory, story_body

pytestmark = pytest.mark.django_db

PLACEHOLDER = 'class="photo-unavailable'


def _story(world, photo, body_photo=None):
    return ArticlePageFactory(
        parent=world,
        lead_photo=photo,
        body=story_body(seed=1, photo=body_photo),
    )


def _pages(client, story, photo) -> dict[str, str]:
    return {
        "article": client.get(story.url).content.decode(),
        "front": client.get("/").content.decode(),
        "bank": client.get("/mediabank/").content.decode(),
        "detail": client.get(reverse("mediabank:photo_detail", args=[photo.pk])).content.decode(),
    }


def _assert_unavailable(client, story, photo):
    pages = _pages(client, story, photo)
    for name, html in pages.items():
        if name != "detail":  # its page says so in words instead
            assert PLACEHOLDER in html, name
        assert "/images/" not in html, name  # no rendition of it anywhere
        assert 'property="og:image"' not in html, name
        assert photo.credit_line not in html, name
    assert 'aria-label="Photo unavailable"' in pages["article"]
    assert '"image"' not in pages["article"]  # JSON-LD
    assert "This photo is no longer available." in pages["detail"]
    assert "Web-size copy" not in pages["detail"]
    assert reverse("mediabank:photo_original", args=[photo.pk]) not in pages["detail"]


def _assert_available(client, story, photo):
    pages = _pages(client, story, photo)
    for name, html in pages.items():
        assert PLACEHOLDER not in html, name
        assert "/images/" in html, name
    assert "This photo is no longer available." not in pages["detail"]
    assert 'property="og:image"' in pages["article"]
    assert 'property="og:image"' in pages["detail"]
    assert '"image"' in pages["article"]
    assert photo.credit_line in pages["article"]
    assert "Web-size copy" in pages["detail"]


def test_restricted_photo_shows_placeholder_everywhere_and_comes_back(client, world):
    photo = PhotoFactory(size=(160, 90))
    story = _story(world, photo, body_photo=photo)
    _assert_available(client, story, photo)  # memoised pages now hold the photo

    photo.restricted = True
    photo.save()
    _assert_unavailable(client, story, photo)

    photo.restricted = False
    photo.save()
    _assert_available(client, story, photo)


def test_expired_licence_shows_placeholder_from_the_moment_it_expires(client, world):
    expires = timezone.now() + timedelta(hours=1)
    photo = PhotoFactory(size=(160, 90), licence_expires_at=expires)
    story = _story(world, photo)
    _assert_available(client, story, photo)
    version = content_version()
    with time_machine.travel(expires + timedelta(seconds=1)):
        # Nothing was saved: the memo still holds the same version and objects.
        assert content_version() == version
        _assert_unavailable(client, story, photo)


def test_is_usable():
    photo = PhotoFactory.build()
    assert photo.is_usable
    photo.licence_expires_at = timezone.now() - timedelta(seconds=1)
    assert not photo.is_usable
    photo.licence_expires_at = timezone.now() + timedelta(days=1)
    assert photo.is_usable
    photo.restricted = True
    assert not photo.is_usable


def test_placeholder_keeps_the_picture_proportions(client, world):
    photo = PhotoFactory(size=(160, 90), restricted=True)
    story = _story(world, photo, body_photo=photo)
    html = client.get(story.url).content.decode()
    assert 'viewBox="0 0 800 450"' in html  # lead (fill)
    assert 'viewBox="0 0 160 90"' in html  # inline (max, never upscaled)


def test_saving_a_photo_bumps_the_content_version():
    photo = PhotoFactory(size=(32, 18))
    before = content_version()
    photo.restricted = True
    photo.save()
    assert content_version() == before + 1


def test_originals_of_unusable_photos_are_refused(client, home):
    photo = PhotoFactory(size=(32, 18), restricted=True)
    client.force_login(UserFactory(username="desk", is_staff=True, is_superuser=True))
    response = client.get(reverse("mediabank:photo_original", args=[photo.pk]))
    assert response.status_code == 404
    photo.restricted = False
    photo.save()
    response = client.get(reverse("mediabank:photo_original", args=[photo.pk]))
    assert response.status_code == 200
    response.close()


def test_feeds_carry_the_photo_only_while_it_may_be_shown(client, world):
    photo = PhotoFactory(size=(32, 18))
    story = _story(world, photo)
    feeds = [reverse("rss_latest"), "/feeds/latest.atom", "/feeds/latest.json"]
    for url in feeds:
        body = client.get(url).content.decode()
        assert story.title in body and photo.credit_line in body, url
        assert "/images/" in body, url
    photo.restricted = True
    photo.save()
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert story.title in body, url
        assert "/images/" not in body and "<enclosure" not in body, url
        assert photo.credit_line not in body and '"attachments"' not in body, url
