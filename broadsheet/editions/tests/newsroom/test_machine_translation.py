"""Machine translation through wagtail-localize's view, against a
LibreTranslate-compatible server process (editions/testing/libretranslate_standin.py)."""

import pytest
from django.urls import reverse
from wagtail_localize.models import StringTranslation

from broadsheet.editions.machine import texts_translate
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage

from .conftest import translation_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def translation(admin_client, world, russian):
    story = ArticlePageFactory(
        parent=world, title="Harbour reopens", standfirst="The city harbour reopens."
    )
    return translation_submit(admin_client, story, russian)


def _machine_translate(client, translation):
    edit_url = reverse("wagtailadmin_pages:edit", args=[translation.get_target_instance().pk])
    return client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]),
        {"next": edit_url},
        follow=True,
    )


def _machine_strings(translation):
    return dict(
        StringTranslation.objects.filter(locale=translation.target_locale).values_list(
            "translation_of__data", "data"
        )
    )


def test_segments_are_filled_and_the_draft_stays_a_draft(
    admin_client, translation, machine_translation
):
    response = _machine_translate(admin_client, translation)
    assert response.status_code == 200
    assert "Translated with LibreTranslate" in response.content.decode()
    found = _machine_strings(translation)
    assert found["Harbour reopens"] == "[ru] гавань открывается"
    assert found["The city harbour reopens."] == "[ru] город гавань открывается."
    assert not ArticlePage.objects.get(pk=translation.get_target_instance().pk).live


@pytest.mark.parametrize(
    ("api_key", "timeout", "reason"),
    [
        ("broken", 10, "it answered with an error (HTTP 500)"),
        ("bad-key", 10, "it refused the API key (HTTP 403)"),
        ("slow", 1, "it did not answer in time"),
    ],
)
def test_engine_failures_are_a_message_and_change_nothing(
    admin_client, translation, machine_translation, api_key, timeout, reason
):
    machine_translation(api_key=api_key, timeout=timeout)
    response = _machine_translate(admin_client, translation)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"LibreTranslate did not translate: {reason}. Nothing was changed" in page
    assert _machine_strings(translation) == {}


def test_without_an_engine_the_editor_says_why(admin_client, translation, settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
    edit_url = reverse("wagtailadmin_pages:edit", args=[translation.get_target_instance().pk])
    page = admin_client.get(edit_url).content.decode()
    assert "Machine translation is not configured (BROADSHEET_MACHINE_TRANSLATION)." in page
    response = _machine_translate(admin_client, translation)
    assert "Machine translation is not configured" in response.content.decode()


def test_the_button_appears_when_an_engine_is_configured(
    admin_client, translation, machine_translation
):
    edit_url = reverse("wagtailadmin_pages:edit", args=[translation.get_target_instance().pk])
    page = admin_client.get(edit_url).content.decode()
    assert "not configured" not in page
    assert "machine_translate" in page  # the editor's props carry the button's URL


def test_plain_texts_for_photo_captions(machine_translation):
    assert texts_translate(texts=["The harbour", "", "The harbour"], source="en", target="es") == {
        "The harbour": "[es] el puerto"
    }
