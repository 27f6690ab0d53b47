"""A photo's caption and alt text per edition: printed in that edition, the
original elsewhere; listings load them with the photo (no query per photo);
editors write them in the admin, optionally drafted by machine translation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from broadsheet.accounts.factories import UserFactory
from broadsheet.editions.testing.fixtures import libretranslate_url, machine_translation  # noqa: F401
from broadsheet.mediabank.captions import photo_alt_text, photo_caption
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.models import Photo, PhotoTranslation
from broadsheet.mediabank.renditions import teaser_photos
from broadsheet.mediabank.templatetags.photos import photo as photo_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    photo = PhotoFactory(
        size=(64, 36), title="Harbour", caption="The harbour at dawn.", alt_text="Cranes"
    )
    PhotoTranslation.objects.create(
        photo=photo, language="ru", caption="Гавань на рассвете.", alt_text="Краны"
    )
    return photo


def test_each_edition_reads_its_own_caption_with_the_original_as_fallback(photo):
    assert photo_caption(photo=photo, language="ru") == "Гавань на рассвете."
    assert photo_alt_text(photo=photo, language="ru") == "Краны"
    assert photo_caption(photo=photo, language="es") == "The harbour at dawn."
    assert photo_alt_text(photo=photo, language="es") == "Cranes"
    with translation.override("ru"):
        assert "Краны" in photo_tag(photo, "teaser")
    with translation.override("en"):
        assert 'alt="Cranes"' in photo_tag(photo, "teaser")


def test_listings_prefetch_captions(photo):
    more = [PhotoFactory(size=(64, 36)) for _ in range(3)]
    for other in more:
        PhotoTranslation.objects.create(photo=other, language="ru", caption="Подпись")
    photos = list(teaser_photos().filter(pk__in=[photo.pk, *(p.pk for p in more)]))
    with CaptureQueriesContext(connection) as queries:
        captions = {photo_caption(photo=p, language="ru") for p in photos}
    assert len(queries) == 0
    assert captions == {"Гавань на рассвете.", "Подпись"}


def test_the_story_page_prints_the_editions_caption(client, world, photo):
    from broadsheet.news.factories import ArticlePageFactory

    story = ArticlePageFactory(parent=world, lead_photo=photo, lead_caption="")
    assert "The harbour at dawn." in client.get(story.url).content.decode()
    assert story.caption == "The harbour at dawn."
    with translation.override("ru"):
        assert Photo.objects.get(pk=photo.pk) and story.caption == "Гавань на рассвете."


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


def test_editors_write_captions_in_the_admin(admin_client, photo):
    response = admin_client.post(
        reverse("photo_captions:add"),
        {"photo": photo.pk, "language": "es", "caption": "El puerto.", "alt_text": "Grúas"},
    )
    assert response.status_code == 302
    assert photo_caption(photo=Photo.objects.get(pk=photo.pk), language="es") == "El puerto."
    duplicate = admin_client.post(
        reverse("photo_captions:add"),
        {"photo": photo.pk, "language": "es", "caption": "Otra.", "alt_text": ""},
    )
    assert duplicate.status_code == 200  # the form again, with the error: no 500


def test_machine_translation_drafts_empty_fields(admin_client, photo, machine_translation):  # noqa: F811
    response = admin_client.post(
        reverse("photo_captions:add"),
        {"photo": photo.pk, "language": "es", "caption": "", "alt_text": "", "machine_fill": "on"},
    )
    assert response.status_code == 302
    row = PhotoTranslation.objects.get(photo=photo, language="es")
    assert row.caption == "[es] el puerto at dawn."
    assert row.alt_text == "[es] Cranes"


def test_a_failing_engine_is_a_form_error(admin_client, photo, machine_translation):  # noqa: F811
    machine_translation(api_key="broken")
    response = admin_client.post(
        reverse("photo_captions:add"),
        {"photo": photo.pk, "language": "es", "caption": "", "alt_text": "", "machine_fill": "on"},
    )
    assert response.status_code == 200
    assert "LibreTranslate did not translate" in response.content.decode()
    assert not PhotoTranslation.objects.filter(language="es").exists()
