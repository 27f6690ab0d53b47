"""A translation whose source is published again is "Source updated" with what
changed, until an editor syncs it; the report lists them per edition."""

import pytest
from django.urls import reverse

from broadsheet.editions.translation import translation_staleness, translations_stale
from broadsheet.news.factories import ArticlePageFactory

from .conftest import translation_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world):
    story = ArticlePageFactory(parent=world, title="Harbour reopens", standfirst="Ships are back.")
    story.save_revision().publish()
    return story


def _edit_source(story, **fields):
    story.refresh_from_db()
    for name, value in fields.items():
        setattr(story, name, value)
    story.save_revision().publish()


def test_an_edited_source_flags_its_translation_with_the_changed_segment(
    admin_client, story, russian
):
    translation = translation_submit(admin_client, story, russian)
    assert translation_staleness(translation=translation) is None
    _edit_source(story, standfirst="Ships are back, and the ferry too.")
    staleness = translation_staleness(translation=translation)
    assert [(c.field, c.old, c.new) for c in staleness.changes] == [
        ("standfirst", "Ships are back.", "Ships are back, and the ferry too.")
    ]
    edit_url = reverse("wagtailadmin_pages:edit", args=[translation.get_target_instance().pk])
    page = admin_client.get(edit_url).content.decode()
    assert "Source updated" in page and "Ships are back, and the ferry too." in page
    ru_section = translation.get_target_instance().get_parent()
    listing = admin_client.get(reverse("wagtailadmin_explore", args=[ru_section.pk]))
    assert "Source updated" in listing.content.decode()
    source_listing = admin_client.get(reverse("wagtailadmin_explore", args=[story.get_parent().pk]))
    assert "Source updated" not in source_listing.content.decode()


def test_sync_clears_the_flag(admin_client, story, russian):
    translation = translation_submit(admin_client, story, russian)
    _edit_source(story, title="Harbour reopens to ferries")
    assert translation_staleness(translation=translation) is not None
    response = admin_client.post(
        reverse("wagtail_localize:update_translations", args=[translation.source_id]), {}
    )
    assert response.status_code == 302
    assert translation_staleness(translation=translation) is None


def test_a_draft_edit_of_the_source_is_not_a_change(admin_client, story, russian):
    translation = translation_submit(admin_client, story, russian)
    story.standfirst = "Not published yet."
    story.save_revision()
    assert translation_staleness(translation=translation) is None


def test_the_report_lists_stale_translations_per_edition(admin_client, story, russian, spanish):
    ru = translation_submit(admin_client, story, russian)
    es = translation_submit(admin_client, story, spanish)
    _edit_source(story, standfirst="Changed.")
    assert {t.pk for t in translations_stale()} == {ru.pk, es.pk}
    url = reverse("editions_newsroom:stale_translations")
    every = admin_client.get(url).content.decode()
    only_ru = admin_client.get(url, {"edition": "ru"}).content.decode()
    assert every.count("Open the translation") == 2
    assert only_ru.count("Open the translation") == 1
    assert reverse("wagtail_localize:update_translations", args=[ru.source_id]) in only_ru
    assert admin_client.get(url, {"edition": "xx"}).status_code == 200  # bad filter: no 500
