"""One test per kind of change: what it queues for the edge, in the same
transaction as the change (edge.models.PendingPurge)."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Locale, Site

from broadsheet.core.models import SiteIdentity
from broadsheet.edge.models import PendingPurge
from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def queued(soft=False) -> set[str]:
    return set(PendingPurge.objects.filter(soft=soft).values_list("key", flat=True))


@pytest.fixture
def story(world, author, topics):
    story = ArticlePageFactory(
        parent=world, authors=[author], tag_names=["Climate"], lead_photo=PhotoFactory()
    )
    PendingPurge.objects.all().delete()
    return story


def test_publishing_a_story_purges_it_and_every_listing_it_is_in(story, author):
    story.title = "Harbour reopens after the storm"
    story.save_revision().publish()
    locale = story.locale_id
    tag = story.tagged_items.get().tag_id
    assert {
        f"p{story.pk}",
        f"lf{locale}",
        f"ln{locale}",
        f"ls{story.section_id}",
        f"la{author.pk}",
        f"lt{tag}",
        f"sm{locale}",
        "sm",
        f"sm{locale}m{story.published_at.astimezone(UTC):%Y%m}",
        f"ph{story.lead_photo_id}",
    } <= queued()
    assert queued(soft=True) == {f"nf{locale}"}


def test_unpublishing_and_deleting_purge_the_same(story):
    story.unpublish()
    assert f"p{story.pk}" in queued() and f"lf{story.locale_id}" in queued()
    PendingPurge.objects.all().delete()
    pk, locale = story.pk, story.locale_id
    story.delete()
    assert {f"p{pk}", f"ln{locale}"} <= queued()


def test_publishing_a_translation_purges_its_source(edition_tree):
    russian = edition_tree.story["ru"]
    PendingPurge.objects.all().delete()
    russian.save_revision().publish()
    ru = Locale.objects.get(language_code="ru").pk
    assert {f"p{russian.pk}", f"p{edition_tree.story['en'].pk}", f"lf{ru}", f"ln{ru}"} <= queued()
    # Each version's month of stories in the sitemaps (the hreflang names it).
    english = edition_tree.story["en"]
    assert {
        f"sm{ru}m{russian.published_at.astimezone(UTC):%Y%m}",
        f"sm{english.locale_id}m{english.published_at.astimezone(UTC):%Y%m}",
    } <= queued()


def test_moving_a_story_purges_both_sections(story, sport):
    old_section = story.get_parent().pk
    story.move(sport, pos="last-child")
    assert {f"p{story.pk}", f"ls{old_section}", f"ls{sport.pk}"} <= queued()


def test_a_section_change_purges_the_edition_menu(world):
    PendingPurge.objects.all().delete()
    world.title = "World news"
    world.save_revision().publish()
    assert {f"e{world.locale_id}", f"ls{world.pk}", f"p{world.pk}"} <= queued()


def test_the_embargo_lift_purges_from_the_scheduler(world, time_machine):
    from broadsheet.news.live_events import stories_announce_run

    soon = timezone.now() + timedelta(minutes=5)
    story = ArticlePageFactory(parent=world, published_at=soon)
    PendingPurge.objects.all().delete()
    time_machine.move_to(soon + timedelta(seconds=1))
    assert stories_announce_run() == [story]
    assert {f"p{story.pk}", f"lf{story.locale_id}", f"ln{story.locale_id}"} <= queued()


def test_a_photo_edit_purges_every_page_printing_it_and_the_bank(story):
    photo = story.lead_photo
    photo.photographer = "Someone else"
    photo.save()
    assert {f"ph{photo.pk}", "lb"} <= queued()


def test_a_caption_in_one_edition_purges_the_photo(story):
    from broadsheet.mediabank.models import PhotoTranslation

    PhotoTranslation.objects.create(
        photo=story.lead_photo, language="ru", caption="Гавань", alt_text="Гавань"
    )
    assert f"ph{story.lead_photo_id}" in queued()


def test_a_licence_expiry_purges_the_photo_from_the_scheduler(story):
    from broadsheet.mediabank.rights import photo_expiries_run

    photo = story.lead_photo
    photo.get_rendition("width-100")
    type(photo).objects.filter(pk=photo.pk).update(
        licence_expires_at=timezone.now() - timedelta(minutes=1)
    )
    PendingPurge.objects.all().delete()
    photo_expiries_run()
    assert f"ph{photo.pk}" in queued()


def test_a_topic_rename_purges_its_name_and_listing(story):
    tag = Tag.objects.get(name="Climate")
    tag.name = "Climate crisis"
    tag.save()
    assert {f"tg{tag.pk}", f"lt{tag.pk}"} <= queued()


def test_the_site_identity_purges_every_page(home):
    PendingPurge.objects.all().delete()
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.name = "The Broadsheet"
    identity.save()
    assert "site" in queued()


def test_an_edition_setting_purges_that_edition(edition_tree):
    from broadsheet.editions.models import Edition

    edition = Edition.objects.get(locale__language_code="ru")
    PendingPurge.objects.all().delete()
    edition.tagline = "Новости со всего мира"
    edition.save()
    assert queued() == {f"e{edition.locale_id}"}


def test_a_visible_comment_purges_the_thread_at_once_and_the_count_softly(story):
    from broadsheet.discussions.cache import discussions_changed

    discussions_changed(page=story)
    assert f"d{story.pk}" in queued()
    assert f"cc{story.pk}" in queued(soft=True)


def test_a_rolled_back_change_queues_nothing(story):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        story.save_revision().publish()
        raise RuntimeError
    assert not queued()


def test_asking_again_while_waiting_keeps_one_row_and_hard_wins(story):
    from broadsheet.edge.services import edge_keys_purge

    edge_keys_purge(keys=["nf1"], soft=True)
    edge_keys_purge(keys=["nf1"])
    row = PendingPurge.objects.get(key="nf1")
    assert row.soft is False
