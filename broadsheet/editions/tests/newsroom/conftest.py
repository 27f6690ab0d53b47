from urllib.parse import urlencode

import pytest
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation

from broadsheet.accounts.factories import UserFactory
from broadsheet.editions.testing.fixtures import libretranslate_url, machine_translation  # noqa: F401


@pytest.fixture
def russian(db):
    return Locale.objects.create(language_code="ru")


@pytest.fixture
def spanish(db):
    return Locale.objects.create(language_code="es")


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


def translation_submit(client, page, locale):
    """wagtail-localize's "Translate this page", as the admin posts it."""
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [locale.pk]},
    )
    assert response.status_code == 302, response.content[:2000]
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


def segments_translate(client, translation, words: dict[str, str]):
    """Type a translation for each segment whose source text is a key of `words`."""
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        text = segment.string.data
        if text in words:
            response = client.put(
                reverse(
                    "wagtail_localize:edit_string_translation",
                    args=[translation.pk, segment.pk],
                ),
                urlencode({"value": words[text]}),
                content_type="application/x-www-form-urlencoded",
            )
            assert response.status_code in (200, 201), response.content


def translation_publish(client, translation, *, follow=True):
    """wagtail-localize's editor "Publish"; it publishes after commit, which
    a test's transaction never reaches: the callbacks run here."""
    page = translation.get_target_instance()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"}, follow=follow
        )
