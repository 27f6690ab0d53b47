"""Photo originals: kept in the private storage, delivered only by the media
bank's original view (streamed, X-Accel-Redirect, X-Sendfile or a signed S3
URL), still usable by the admin and the rendition makers. Path tricks against
/media/ are tested on the real server in test_media_paths_server.py."""

import importlib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django_sendfile.utils import _get_sendfile
from storages.backends.s3 import S3Storage

from broadsheet.mediabank.factories import PhotoFactory, photo_jpeg
from broadsheet.mediabank.models import Photo

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module(
    "broadsheet.mediabank.migrations.0004_photo_originals_private_storage"
)


def _original(photo) -> str:
    return reverse("mediabank:photo_original", args=[photo.pk])


@pytest.fixture
def sendfile_backend(settings):
    """Switch django-sendfile2's backend (it caches the one it loaded)."""

    def use(backend: str):
        settings.SENDFILE_BACKEND = backend
        _get_sendfile.cache_clear()

    yield use
    _get_sendfile.cache_clear()


def test_originals_are_stored_privately_and_renditions_publicly(settings):
    photo = PhotoFactory(size=(64, 48))
    private, public = Path(settings.BROADSHEET_PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)
    assert (private / photo.file.name).is_file()
    assert not (public / photo.file.name).exists()
    rendition = photo.get_rendition("fill-32x32")  # made from the private original
    assert (public / rendition.file.name).is_file()


def test_staff_get_the_original_through_nginx_with_x_accel_redirect(
    admin_client, home, settings, sendfile_backend
):
    sendfile_backend("django_sendfile.backends.nginx")
    settings.SENDFILE_URL = "/private-originals"
    photo = PhotoFactory(size=(64, 48))
    response = admin_client.get(_original(photo))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/private-originals/{photo.file.name}"
    assert response.content == b""  # nginx sends the bytes
    assert response["Content-Disposition"].startswith("attachment")
    assert "private" in response["Cache-Control"]


def test_staff_get_the_original_through_apache_with_x_sendfile(
    admin_client, home, settings, sendfile_backend
):
    sendfile_backend("django_sendfile.backends.xsendfile")
    photo = PhotoFactory(size=(64, 48))
    response = admin_client.get(_original(photo))
    assert response.status_code == 200
    expected = Path(settings.BROADSHEET_PRIVATE_MEDIA_ROOT) / photo.file.name
    assert response["X-Sendfile"] == str(expected)


def test_an_original_in_a_bucket_is_a_short_lived_signed_url(admin_client, home, monkeypatch):
    bucket = S3Storage(
        bucket_name="broadsheet-originals",
        location="private",
        access_key="test-key",
        secret_key="test-secret",
        region_name="eu-west-1",
        signature_version="s3v4",
        querystring_auth=True,
        querystring_expire=3600,
        default_acl="private",
    )
    photo = PhotoFactory(size=(64, 48))
    monkeypatch.setattr(Photo._meta.get_field("file"), "storage", bucket)
    response = admin_client.get(_original(photo))
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert "broadsheet-originals" in url.netloc + url.path
    assert url.path.endswith(f"/private/{photo.file.name}")
    assert query["X-Amz-Expires"] == ["60"]  # BROADSHEET_ORIGINALS_URL_SECONDS, not 3600
    assert query["response-content-disposition"][0].startswith("attachment")
    assert "private" in response["Cache-Control"]


def test_readers_are_still_refused_the_original(client, home, django_user_model):
    photo = PhotoFactory(size=(64, 48))
    client.force_login(django_user_model.objects.create_user("r", "r@example.com", "pw"))
    assert client.get(_original(photo)).status_code == 403


def test_the_admin_edit_page_and_its_original_link_work_for_editors(admin_client):
    photo = PhotoFactory(size=(640, 480))
    response = admin_client.get(reverse("wagtailimages:edit", args=[photo.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "could not be found" not in html
    # Wagtail links "the original" to an `original` rendition: public, metadata-free.
    link = re.search(r'href="(/media/images/[^"]+\.original\.[a-z]+)"', html)
    assert link, "the file link of the edit page"
    assert admin_client.get(link.group(1)).status_code == 200
    focal = admin_client.get(reverse("wagtailimages:preview", args=[photo.pk, "max-200x200"]))
    assert focal.status_code == 200


def _photo_in_public_storage(content: bytes) -> Photo:
    """A photo as an install before migration 0004 has it: the original under MEDIA_ROOT."""
    photo = PhotoFactory(size=(64, 48))
    name = photo.file.name
    storages["originals"].delete(name)
    storages["default"].save(name, ContentFile(content))
    return photo


def test_the_migration_moves_existing_originals_and_may_run_again():
    content = photo_jpeg(seed=7, width=64, height=48)
    photo = _photo_in_public_storage(content)
    public, private = storages["default"], storages["originals"]
    MIGRATION.originals_to_private(apps, None)
    assert not public.exists(photo.file.name)
    with private.open(photo.file.name, "rb") as f:
        assert f.read() == content
    MIGRATION.originals_to_private(apps, None)  # nothing left to move: no error, no change
    with private.open(photo.file.name, "rb") as f:
        assert f.read() == content
    Photo.objects.get(pk=photo.pk).get_rendition("fill-8x8")


def test_the_migration_clears_a_public_copy_left_by_an_interrupted_run():
    photo = _photo_in_public_storage(b"same bytes")
    storages["originals"].save(photo.file.name, ContentFile(b"same bytes"))
    MIGRATION.originals_to_private(apps, None)
    assert not storages["default"].exists(photo.file.name)
    assert storages["originals"].exists(photo.file.name)
