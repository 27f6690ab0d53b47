"""Two sign-ups racing for one display name: the loser sees a form error, not
a 500, and no half-made account is left behind."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from broadsheet.accounts import forms
from broadsheet.accounts.factories import UserFactory
from broadsheet.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "plum tart 1987 velvet"


def _taken_after_the_check(value, *, user=None):
    """The form's check passes; the other sign-up commits right after it."""
    cleaned = real_clean(value, user=user)
    UserFactory(username="winner", email="winner@example.org", display_name="Plum Tart")
    return cleaned


real_clean = forms.display_name_clean


def test_display_name_taken_between_check_and_save_is_a_form_error(client):
    with mock.patch.object(forms, "display_name_clean", _taken_after_the_check):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "late@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": "plum TART",
            },
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This display name is already taken." in html
    assert 'value="late@example.org"' in html  # the rest of the form as typed
    assert not User.objects.filter(email="late@example.org").exists()
    assert User.objects.filter(display_name="Plum Tart").count() == 1
    assert mail.outbox == []


def test_profile_rename_racing_another_reader_is_a_form_error(client, reader, settings, tmp_path):
    """Two readers renaming themselves to one name at once: the loser's form
    says the name is taken, keeps nothing half-saved and leaves no new avatar
    file behind."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_profile import image_bytes

    settings.MEDIA_ROOT = tmp_path
    real_full_clean = User.full_clean

    def full_clean_then_lose_the_race(self, *args, **kwargs):
        real_full_clean(self, *args, **kwargs)
        UserFactory(username="winner", email="winner@example.org", display_name="Plum Tart")

    client.force_login(reader)
    with mock.patch.object(User, "full_clean", full_clean_then_lose_the_race):
        response = client.post(
            reverse("accounts:account"),
            {
                "display_name": "Plum Tart",
                "bio": "Hello",
                "avatar": SimpleUploadedFile("me.png", image_bytes(), "image/png"),
            },
        )
    assert response.status_code == 400
    assert "This display name is already taken." in response.content.decode()
    old_name = reader.display_name
    reader.refresh_from_db()
    assert reader.display_name == old_name and reader.bio == "" and not reader.avatar
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
