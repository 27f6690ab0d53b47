"""The account pages for each kind of visitor, the data download, deletion and
the admin gate."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.accounts.services import account_data_export

from .conftest import PASSWORD
from .test_profile import image_bytes

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = ["accounts:account", "accounts:account_data", "accounts:account_delete"]


@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_and_back(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("who", ["unverified_reader", "reader", "staff"])
@pytest.mark.parametrize("name", PRIVATE_PAGES)
def test_signed_in_people_reach_their_own_pages(client, request, who, name):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_account_page_asks_unverified_readers_to_confirm(client, unverified_reader, reader):
    client.force_login(unverified_reader)
    assert "Confirm your e-mail address" in client.get(reverse("accounts:account")).content.decode()
    client.force_login(reader)
    assert (
        "Confirm your e-mail address"
        not in client.get(reverse("accounts:account")).content.decode()
    )


def test_account_page_shows_only_the_signed_in_persons_data(client, reader, unverified_reader):
    client.force_login(reader)
    html = client.get(reverse("accounts:account")).content.decode()
    assert reader.email in html and unverified_reader.email not in html


def test_masthead_links_to_the_account_page_for_everyone(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("accounts:account")}"' in html


def test_data_download_is_a_private_json_attachment(client, reader):
    client.force_login(reader)
    response = client.get(reverse("accounts:account_data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Ann Reader"
    assert data["profile"]["id"] == reader.pk
    assert data["email_addresses"] == [
        {"email": "ann@example.org", "primary": True, "verified": True}
    ]
    # Comments come from the discussions app (an empty list until it lands).
    assert isinstance(data["comments"], list)
    assert "password" not in json.dumps(data)


def test_data_export_holds_nobody_elses_data(reader, unverified_reader):
    data = account_data_export(user=reader)
    assert unverified_reader.email not in json.dumps(data)


def test_delete_needs_the_password(client, reader):
    client.force_login(reader)
    response = client.post(reverse("accounts:account_delete"), {"password": "not it"})
    assert response.status_code == 400
    assert User.objects.filter(pk=reader.pk).exists()
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_delete_signs_out_and_removes_the_account(
    client, reader, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    client.post(
        reverse("accounts:account"),
        {
            "display_name": "Ann Reader",
            "bio": "",
            "avatar": SimpleUploadedFile("a.png", image_bytes(), "image/png"),
        },
    )
    reader.refresh_from_db()
    avatar, storage = reader.avatar.name, reader.avatar.storage
    session_key = client.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:account_deleted")
    assert not User.objects.filter(pk=reader.pk).exists()
    assert not EmailAddress.objects.filter(email="ann@example.org").exists()
    assert not SessionStore().exists(session_key)
    assert not storage.exists(avatar)
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("accounts:account")).status_code == 302
    # The address is free again, and the public profile is gone.
    assert client.get(reverse("accounts:profile", args=[reader.pk])).status_code == 404


def test_reader_signed_in_through_allauth_never_sees_the_admin(client, reader):
    client.post(reverse("account_login"), {"login": reader.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(reader.pk)
    for url in ["/admin/", "/admin/pages/", "/admin/users/", "/django-admin/"]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"wagtail-admin" not in response.content and b"sidebar" not in response.content
        if response.status_code == 302:
            assert "login" in response["Location"], url


def test_staff_still_reach_the_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_cookie_flags_in_production(monkeypatch):
    import importlib

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "news.example.org")
    monkeypatch.setenv("SITE_URL", "https://news.example.org")
    production = importlib.import_module("broadsheet.settings.production")
    production = importlib.reload(production)
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE == production.CSRF_COOKIE_SAMESITE == "Lax"
    assert production.ACCOUNT_DEFAULT_HTTP_PROTOCOL == "https"


def test_allauth_pages_scripts_reach_the_page(rf, reader):
    """allauth pages put their scripts (passkey login, MFA recovery codes) in
    `extra_body`, which the site layout must render, or they vanish silently."""
    from django.template import engines

    page = engines["django"].from_string(
        '{% extends "allauth/layouts/manage.html" %}'
        '{% block extra_body %}<script id="allauth-extra"></script>{% endblock %}'
    )
    request = rf.get("/")
    request.user = reader
    assert '<script id="allauth-extra"></script>' in page.render({}, request)
