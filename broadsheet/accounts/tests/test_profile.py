"""Display names, avatars and the public profile."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from broadsheet.accounts.factories import UserFactory
from broadsheet.accounts.services import AVATAR_SIZE
from broadsheet.accounts.validators import validate_display_name
from broadsheet.core.testing import without_render_times

pytestmark = pytest.mark.django_db


def image_bytes(fmt="PNG", size=(640, 480), **save):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


def png_header_only(width, height):
    """A tiny PNG that claims enormous dimensions (a decompression bomb's header)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def post_profile(client, **data):
    payload = {"display_name": "Ann Reader", "bio": ""}
    payload.update(data)
    return client.post(reverse("accounts:account"), payload)


@pytest.mark.parametrize("name", ["Ann", "Анна К.", "O'Brien-Smith", "李小龙", "a2"])
def test_good_display_names(name):
    validate_display_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "a",
        "x" * 41,
        "ann@example.org",
        "ann@",
        "Ann\x00",
        "Ann\u200bReader",  # zero-width space
        "\u202eredaeR",  # right-to-left override
        "!!!",
        "Deleted User",
        "Moderator",
    ],
)
def test_bad_display_names(name):
    with pytest.raises(ValidationError):
        validate_display_name(name)


@pytest.mark.parametrize(
    "first,second", [("Ann Reader", "ANN READER"), ("Анна", "АННА"), ("Ann", "Ａｎｎ")]
)
def test_display_names_are_unique_regardless_of_case_in_the_database(first, second):
    UserFactory(username="a", display_name=first)
    UserFactory(username="b", display_name="")
    UserFactory(username="c", display_name="")  # empty names may repeat
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="d", display_name=second)


def test_renaming_keeps_the_key_in_step():
    user = UserFactory(username="a", display_name="Ann")
    user.display_name = "Bea"
    user.save(update_fields=["display_name"])
    UserFactory(username="b", display_name="ann")  # free again
    user.refresh_from_db()
    assert user.display_name_key == "bea"


def test_profile_form_saves_and_normalises(client, reader):
    client.force_login(reader)
    response = post_profile(client, display_name="  Ann   the  Reader ", bio="Hi\r\nthere\x07")
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.display_name == "Ann the Reader"
    assert reader.bio == "Hi\nthere"


def test_profile_form_refuses_a_taken_name_and_a_long_bio(client, reader):
    UserFactory(username="other", display_name="Bob")
    client.force_login(reader)
    response = post_profile(client, display_name="bob", bio="x" * 301)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "display_name" in errors and "bio" in errors
    reader.refresh_from_db()
    assert reader.display_name == "Ann Reader"


def test_keeping_ones_own_name_in_another_case_is_fine(client, reader):
    client.force_login(reader)
    assert post_profile(client, display_name="ANN READER").status_code == 302


def test_a_real_png_becomes_a_small_square_webp_without_metadata(client, reader):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    photo = image_bytes("JPEG", size=(1200, 800), exif=exif.tobytes())
    client.force_login(reader)

    response = post_profile(
        client, avatar=SimpleUploadedFile("../../Me at Home!.JPG", photo, "image/jpeg")
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    name = reader.avatar.name
    assert name.startswith("avatars/me-at-home-") and name.endswith(".webp")
    with reader.avatar.open("rb") as stored, Image.open(stored) as img:
        assert img.format == "WEBP"
        assert img.size == (AVATAR_SIZE, AVATAR_SIZE)
        assert not img.getexif()
    png = post_profile(client, avatar=SimpleUploadedFile("a.png", image_bytes(), "image/png"))
    assert png.status_code == 302


@pytest.mark.parametrize(
    "filename,content",
    [
        ("me.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("me.png", b"<html><script>alert(1)</script></html>"),
        ("bomb.png", png_header_only(100_000, 100_000)),
        ("cut.png", image_bytes()[:200]),
    ],
)
def test_unsafe_or_broken_avatars_are_refused_with_a_form_error(client, reader, filename, content):
    client.force_login(reader)
    response = post_profile(client, avatar=SimpleUploadedFile(filename, content, "image/png"))
    assert response.status_code == 400
    assert response.context["form"].errors["avatar"]
    reader.refresh_from_db()
    assert not reader.avatar


def test_a_too_large_avatar_file_is_refused(client, reader, settings):
    settings.BROADSHEET_AVATAR_MAX_BYTES = 1000
    client.force_login(reader)
    response = post_profile(
        client, avatar=SimpleUploadedFile("big.png", image_bytes(size=(900, 900)), "image/png")
    )
    assert response.status_code == 400
    assert "too big" in str(response.context["form"].errors["avatar"])


def test_a_polyglot_keeps_only_its_pixels(client, reader):
    payload = image_bytes() + b"<html><script>alert(1)</script></html>"
    client.force_login(reader)
    assert (
        post_profile(client, avatar=SimpleUploadedFile("p.png", payload, "image/png")).status_code
        == 302
    )
    reader.refresh_from_db()
    with reader.avatar.open("rb") as stored:
        assert b"<script>" not in stored.read()


def test_replacing_and_removing_the_avatar_deletes_old_files(
    client, reader, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    with django_capture_on_commit_callbacks(execute=True):
        post_profile(client, avatar=SimpleUploadedFile("a.png", image_bytes(), "image/png"))
    reader.refresh_from_db()
    first = reader.avatar.name
    storage = reader.avatar.storage
    with django_capture_on_commit_callbacks(execute=True):
        post_profile(client, avatar=SimpleUploadedFile("b.png", image_bytes(), "image/png"))
    reader.refresh_from_db()
    assert not storage.exists(first)
    second = reader.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        post_profile(client, avatar_remove="on")
    reader.refresh_from_db()
    assert not reader.avatar
    assert not storage.exists(second)


def test_public_profile_shows_name_bio_avatar_and_member_since(client, reader):
    reader.bio = "Reads <b>everything</b>"
    reader.save()
    response = client.get(reverse("accounts:profile", args=[reader.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ann Reader" in html and "Reader since" in html
    assert "&lt;b&gt;everything&lt;/b&gt;" in html
    assert reader.email not in html
    # Cacheable like every anonymous page: no cookie, no token, no per-user HTML.
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in html


def test_profile_is_the_same_for_a_signed_in_viewer(client, reader, unverified_reader):
    anonymous = client.get(reverse("accounts:profile", args=[reader.pk])).content
    client.force_login(unverified_reader)
    signed_in = client.get(reverse("accounts:profile", args=[reader.pk])).content
    assert without_render_times(signed_in) == without_render_times(anonymous)


def test_profiles_without_a_name_inactive_or_missing_are_404(client, reader):
    nameless = UserFactory(username="nameless", display_name="")
    inactive = UserFactory(username="gone", display_name="Gone Away", is_active=False)
    for pk in (nameless.pk, inactive.pk, 999_999):
        assert client.get(reverse("accounts:profile", args=[pk])).status_code == 404
