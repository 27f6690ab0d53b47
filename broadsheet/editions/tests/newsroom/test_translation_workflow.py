""" "Translate this page" (wagtail-localize) makes the other edition's draft:
its own public time, never live, what is copied and what is not; a human
publishes it, with the same photo checks as a story written in the edition."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.models import PhotoTranslation
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticleAuthor, ArticlePage

from .conftest import segments_translate, translation_publish, translation_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world, author):
    photo = PhotoFactory(size=(64, 36), title="Harbour", alt_text="Cranes over the harbour")
    story = ArticlePageFactory(
        parent=world,
        title="Harbour reopens",
        standfirst="The harbour reopens after two years.",
        lead_photo=photo,
        breaking=True,
    )
    ArticleAuthor.objects.create(page=story, author=author)
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.published_at is not None and story.live
    return story


def test_a_translation_is_a_draft_with_its_own_public_time(admin_client, story, russian):
    translation = translation_submit(admin_client, story, russian)
    ru = ArticlePage.objects.get(translation_key=story.translation_key, locale=russian)
    assert not ru.live
    assert ru.published_at is None and ru.first_published_at is None
    assert ru.breaking is False, "the breaking alert is each edition's own decision"
    assert ru.lead_photo_id == story.lead_photo_id, "the lead photo is synchronised"
    assert ru.edition_locale_id == russian.pk
    assert ru.section.locale_id == russian.pk, "filed in the Russian edition's own section"
    assert translation.source.locale == story.locale


def test_publishing_the_translation_gives_it_its_own_time(admin_client, story, russian):
    translation = translation_submit(admin_client, story, russian)
    segments_translate(
        admin_client,
        translation,
        {"Harbour reopens": "Гавань открывается", story.standfirst: "Гавань снова работает."},
    )
    before = timezone.now()
    response = translation_publish(admin_client, translation)
    assert response.status_code == 200
    ru = ArticlePage.objects.get(translation_key=story.translation_key, locale=russian)
    assert ru.live and ru.title == "Гавань открывается"
    assert ru.published_at >= before > story.published_at
    assert ru.standfirst == "Гавань снова работает."


def test_a_translation_with_an_embargo_waits_for_it(admin_client, story, russian):
    translation = translation_submit(admin_client, story, russian)
    ru = ArticlePage.objects.get(translation_key=story.translation_key, locale=russian)
    go_live = timezone.now() + timedelta(hours=5)
    ru.go_live_at = go_live
    ru.save_revision().publish()
    ru.refresh_from_db()
    assert not ru.live and ru.published_at is None, "scheduled: not live before its time"
    assert translation.pk


def test_bylines_name_the_authors_page_in_the_edition_when_translated(
    admin_client, story, russian, author
):
    ru_author = author.copy_for_translation(russian, copy_parents=True)
    ru_author.save_revision().publish()
    translation_submit(admin_client, story, russian)
    ru = ArticlePage.objects.get(translation_key=story.translation_key, locale=russian)
    assert [b.author_id for b in ru.bylines.all()] == [ru_author.pk]


def test_an_author_without_a_page_in_the_edition_keeps_the_original(
    admin_client, story, russian, author
):
    translation_submit(admin_client, story, russian)
    ru = ArticlePage.objects.get(translation_key=story.translation_key, locale=russian)
    assert [b.author_id for b in ru.bylines.all()] == [author.pk]


def _publish_refused(admin_client, story, russian, message):
    translation = translation_submit(admin_client, story, russian)
    response = translation_publish(admin_client, translation)
    assert message in response.content.decode()
    ru = ArticlePage.objects.get(translation_key=story.translation_key, locale=russian)
    assert not ru.live and ru.published_at is None
    return translation


def test_publishing_a_translation_whose_photo_has_no_alt_text_is_refused(
    admin_client, story, russian
):
    story.lead_photo.alt_text = ""
    story.lead_photo.save()
    translation = _publish_refused(
        admin_client,
        story,
        russian,
        "Add alt text to the photo “Harbour” in the media bank before publishing.",
    )
    # Alt text written for the Russian edition is enough for it.
    PhotoTranslation.objects.create(
        photo=story.lead_photo, language="ru", alt_text="Краны над гаванью"
    )
    translation_publish(admin_client, translation)
    assert ArticlePage.objects.get(translation_key=story.translation_key, locale=russian).live


def test_publishing_a_translation_with_a_withdrawn_photo_is_refused(admin_client, story, russian):
    story.lead_photo.restricted = True
    story.lead_photo.save()
    _publish_refused(
        admin_client,
        story,
        russian,
        "The photo “Harbour” is withdrawn or its licence has expired: choose another.",
    )


def test_sync_and_publish_is_refused_too(admin_client, story, russian):
    from django.urls import reverse

    translation = translation_submit(admin_client, story, russian)
    story.lead_photo.alt_text = ""
    story.lead_photo.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = admin_client.post(
            reverse("wagtail_localize:update_translations", args=[translation.source_id]),
            {"publish_translations": "on"},
        )
    assert "Nothing was synced or published" in response.content.decode()
    ru = ArticlePage.objects.get(translation_key=story.translation_key, locale=russian)
    assert not ru.live
