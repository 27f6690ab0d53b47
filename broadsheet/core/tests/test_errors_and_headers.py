from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path

from broadsheet.core import views

pytestmark = pytest.mark.django_db


def test_404_is_in_the_site_design_and_names_no_canonical(client, settings):
    response = client.get("/no/such/story/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "find that page" in html
    assert 'rel="canonical"' not in html
    assert "/no/such/story/" not in html
    assert 'class="masthead' in html


def boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", boom)]
handler500 = views.server_error


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_renders_without_touching_the_database():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_security_headers(client):
    response = client.get("/robots.txt")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_unknown_host_is_rejected():
    client = Client(raise_request_exception=False)
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_originals_have_no_address_under_media_not_even_for_staff(client, admin_user, settings):
    from broadsheet.mediabank.factories import PhotoFactory

    photo = PhotoFactory()
    name = photo.file.name
    assert name.startswith("original_images/")
    assert not (Path(settings.MEDIA_ROOT) / name).exists()
    assert (Path(settings.BROADSHEET_PRIVATE_MEDIA_ROOT) / name).exists()
    rendition = photo.get_rendition("fill-100x100")
    assert client.get(rendition.url).status_code == 200
    client.force_login(admin_user)
    for url in (f"/media/{name}", f"/media//{name}", f"/media/./{name}"):
        assert client.get(url).status_code == 404, url
