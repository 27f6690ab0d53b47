"""Uploads are judged by content: hostile files are refused with a message, never a 500."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from broadsheet.mediabank.models import Photo
from broadsheet.mediabank.uploads import UploadRejected, inspect_upload, safe_filename

from .images import HTML_PAGE, SVG_WITH_SCRIPT, jpeg, png_bomb

pytestmark = pytest.mark.django_db


def upload(client, name, content, **fields):
    data = {"title": "", "file": SimpleUploadedFile(name, content), **fields}
    return client.post(reverse("wagtailimages:add"), data)


def file_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(response.context["form"].errors.get("file", []))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF", "AVIF"])
def test_inspect_accepts_every_published_format(fmt):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 50, 50)).save(out, fmt)
    info = inspect_upload(out)
    assert (info.format, info.width, info.height) == (fmt, 40, 30)
    assert out.tell() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.png", png_bomb(), "pixels"),
        ("drawing.svg", SVG_WITH_SCRIPT, "format"),
        ("drawing.png", SVG_WITH_SCRIPT, ""),
        ("page.jpg", HTML_PAGE, ""),
        ("cut.jpg", jpeg()[:3000], "damaged or incomplete"),
    ],
    ids=["png-bomb-30000x30000", "svg-script", "svg-named-png", "html-named-jpg", "truncated"],
)
def test_hostile_upload_is_refused_by_admin_upload_view(admin_client, name, content, message):
    response = upload(admin_client, name, content, title="Hostile")
    errors = file_errors(response)
    assert errors  # refused with a message on the form
    assert message in errors
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    "content", [png_bomb(), SVG_WITH_SCRIPT, HTML_PAGE, jpeg()[:3000]], ids=lambda c: str(len(c))
)
def test_inspect_refuses_hostile_content_whatever_the_name(content):
    with pytest.raises(UploadRejected):
        inspect_upload(io.BytesIO(content))


def test_pixel_limit_comes_from_settings(admin_client):
    with override_settings(BROADSHEET_MAX_IMAGE_PIXELS=10_000):
        with pytest.raises(UploadRejected, match="too many pixels"):
            inspect_upload(io.BytesIO(jpeg(width=320, height=200)))
        assert "too many pixels" in file_errors(upload(admin_client, "big.jpg", jpeg(), title="x"))
    assert not Photo.objects.exists()


def test_byte_limit_comes_from_wagtail_setting(admin_client):
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1_000):
        with pytest.raises(UploadRejected, match="too big"):
            inspect_upload(io.BytesIO(jpeg()))
        assert "too big" in file_errors(upload(admin_client, "heavy.jpg", jpeg(), title="x"))
    assert not Photo.objects.exists()


def test_stored_filename_is_server_generated_and_safe(admin_client):
    response = upload(admin_client, "Évènement <Harbour> ; rm -rf.JPG", jpeg(), title="Harbour")
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert re.fullmatch(
        r"original_images/evenement-harbour-rm-rf-[0-9a-f]{8}\.jpg", photo.file.name
    )
    assert photo.file_hash and photo.file_size


def test_safe_filename_takes_the_extension_from_the_content():
    info = inspect_upload(io.BytesIO(jpeg()))
    assert re.fullmatch(r"photo-[0-9a-f]{8}\.jpg", safe_filename("«»!.png", info))
    assert safe_filename("a.jpg", info) != safe_filename("a.jpg", info)


def test_multiple_uploader_refuses_hostile_files_and_accepts_photos(admin_client):
    url = reverse("wagtailimages:add_multiple")
    refused = admin_client.post(url, {"files[]": SimpleUploadedFile("cut.jpg", jpeg()[:3000])})
    assert refused.status_code == 200 and refused.json()["success"] is False
    accepted = admin_client.post(url, {"files[]": SimpleUploadedFile("Quay Side.jpg", jpeg())})
    assert accepted.status_code == 200 and accepted.json()["success"] is True
    assert re.fullmatch(
        r"original_images/quay-side-[0-9a-f]{8}\.jpg", Photo.objects.get().file.name
    )
