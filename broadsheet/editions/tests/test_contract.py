"""The editions contract: routing per edition, translations, time zones."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from broadsheet.editions.models import Edition
from broadsheet.editions.selectors import translations_of, translations_public
from broadsheet.news.factories import ArticlePageFactory
from broadsheet.news.models import ArticlePage


def translate(page, locale, **fields):
    copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    copy.refresh_from_db()
    return copy.specific


@pytest.fixture
def russian(db):
    return Locale.objects.create(language_code="ru")


@pytest.fixture
def story_ru(world, russian):
    story = ArticlePageFactory(parent=world, title="Harbour reopens")
    return story, translate(story, russian, title="Гавань открылась")


def test_a_new_locale_is_an_edition(russian, settings):
    assert Edition.objects.get(locale=russian).time_zone == settings.TIME_ZONE


def test_each_edition_is_served_from_its_own_tree(client, story_ru):
    story, translation = story_ru
    assert translation.locale.language_code == "ru"
    assert translation.edition_locale_id == translation.locale_id
    assert translation.url.startswith("/ru/")
    assert "Гавань открылась" in client.get(translation.url).content.decode()
    assert "Harbour reopens" in client.get(story.url).content.decode()
    assert client.get("/ru/").status_code == 200


def test_translations_are_listed_in_language_order(story_ru):
    story, translation = story_ru
    found = [(t.language, t.page_id) for t in translations_of(page=story)]
    assert found == [("en", story.pk), ("ru", translation.pk)]


def test_an_embargoed_translation_is_not_linked(story_ru):
    story, translation = story_ru
    ArticlePage.objects.filter(pk=translation.pk).update(
        published_at=timezone.now() + timedelta(hours=3)
    )
    assert [t.language for t in translations_public(page=story)] == ["en"]


def test_the_edition_time_zone_is_active(client, story_ru, russian):
    Edition.objects.filter(locale=russian).update(time_zone="Asia/Tokyo")
    Edition.objects.get(locale=russian).save()
    response = client.get("/ru/")
    assert response.wsgi_request.edition.time_zone == "Asia/Tokyo"


def test_a_front_page_costs_the_same_queries_in_every_edition(client, story_ru):
    for _warm in range(2):
        client.get("/")
        client.get("/ru/")
    with CaptureQueriesContext(connection) as english:
        client.get("/")
    with CaptureQueriesContext(connection) as russian:
        client.get("/ru/")
    assert [q["sql"][:60] for q in russian] == [q["sql"][:60] for q in english]
