"""Publishing is transactional and its side effects (cache purges) run after commit."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from wagtail.signals import page_published

from broadsheet.core.cache import content_version
from broadsheet.news.factories import ArticlePageFactory, story_schedule
from broadsheet.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_publish_purges_story_section_front_authors_tags_and_newsfeed(
    world, author, topics, purged, django_capture_on_commit_callbacks
):
    story = ArticlePageFactory(parent=world, authors=[author], tag_names=["Climate"])
    before = content_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.save_revision().publish()
    assert purged == [], "nothing is purged before the transaction commits"
    assert content_version() == before + 1, "the version moves with the transaction"
    for callback in callbacks:
        callback()
    base = settings.SITE_URL
    assert {
        f"{base}{story.url}",
        f"{base}{world.url}",
        f"{base}/",
        f"{base}{author.url}",
        f"{base}{topics.url}climate/",
        f"{base}{topics.url}",
        f"{base}{author.get_parent().url}",
    } <= set(purged)
    assert any(url.endswith(reverse("newsfeed")) for url in purged)
    assert {
        f"{base}/feeds/latest.xml",
        f"{base}/feeds/latest.json",
        f"{base}/feeds/world.atom",
        f"{base}/feeds/topics/climate.xml",
        f"{base}/feeds/authors/{author.slug}.json",
        f"{base}/ru/feeds/world.xml",
    } <= set(purged)


def test_publish_and_unpublish_purge_the_bank_pages_of_the_storys_photos(
    world, purged, django_capture_on_commit_callbacks
):
    """A photo's bank page lists where it was published and is withheld while
    only non-public pages use it: a CDN copy must not outlive either."""
    from broadsheet.mediabank.factories import PhotoFactory
    from broadsheet.news.factories import story_body

    lead, inline = PhotoFactory(), PhotoFactory(seed=5)
    story = ArticlePageFactory(parent=world, lead_photo=lead, body=story_body(seed=1, photo=inline))
    bank = {
        f"{settings.SITE_URL}{prefix}/mediabank/{photo.pk}/"
        for photo in (lead, inline)
        for prefix in ("", "/ru")
    }
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    assert bank <= set(purged)
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert bank <= set(purged)


def test_unpublish_and_delete_purge_too(world, purged, django_capture_on_commit_callbacks):
    story = ArticlePageFactory(parent=world)
    url = f"{settings.SITE_URL}{story.url}"
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert url in purged
    purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=story.pk).delete()
    assert url in purged


def test_failed_publish_in_the_admin_leaves_the_live_site_unchanged(
    client, admin_user, world, purged
):
    story = ArticlePageFactory(parent=world, title="Original headline")
    story.save_revision().publish()
    revisions_before = story.revisions.count()
    version_before = content_version()

    @receiver(page_published)
    def explode(sender, instance, **kwargs):
        raise RuntimeError("the CDN client blew up halfway through publishing")

    client.force_login(admin_user)
    client.raise_request_exception = False
    data = _edit_form_data(story, title="Changed headline")
    try:
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[story.pk]), {**data, "action-publish": "1"}
        )
    finally:
        page_published.disconnect(explode)
    assert response.status_code == 500
    story.refresh_from_db()
    assert story.title == "Original headline"
    assert story.revisions.count() == revisions_before
    assert content_version() == version_before
    assert purged == []
    assert "Original headline" in client.get(story.url).content.decode()


def _edit_form_data(story, **changes):
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    return nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "kind": story.kind,
            "standfirst": story.standfirst,
            "lead_photo": story.lead_photo_id,
            "bylines": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Body.</p>"))]),
            "tags": "",
            **changes,
        }
    )


def test_scheduled_story_goes_live_through_the_scheduler_command(client, world):
    go_live = timezone.now() + timedelta(minutes=30)
    story = story_schedule(parent=world, go_live_at=go_live)
    call_command("run_scheduler", "--once")
    assert client.get(story.url).status_code == 404
    with time_machine.travel(go_live + timedelta(minutes=1)):
        call_command("run_scheduler", "--once")
        story.refresh_from_db()
        assert story.live
        # The public time is the embargo time (revisions store it to the millisecond).
        assert abs(story.published_at - go_live) < timedelta(milliseconds=1)
        assert client.get(story.url).status_code == 200


def test_expired_story_is_withdrawn_by_the_scheduler(client, world):
    story = ArticlePageFactory(parent=world, expire_at=timezone.now() - timedelta(minutes=1))
    call_command("run_scheduler", "--once")
    story.refresh_from_db()
    assert not story.live
    assert client.get(story.url).status_code == 404


def test_shared_chrome_shows_a_new_story_as_soon_as_it_is_published(client, world):
    old = ArticlePageFactory(parent=world, title="Yesterday's harbour news")
    assert "Yesterday" in client.get(old.url).content.decode()
    fresh = ArticlePageFactory.build(
        title="Breaking: bridge reopens", lead_photo=old.lead_photo, live=False, published_at=None
    )
    world.add_child(instance=fresh)
    fresh.save_revision().publish()
    html = client.get(old.url).content.decode()
    assert "Breaking: bridge reopens" in html, "the memoised newsfeed box was refreshed"
    fresh.refresh_from_db()
    fresh.unpublish()
    assert "Breaking: bridge reopens" not in client.get(old.url).content.decode()


def test_republished_story_is_served_fresh_and_withdrawn_story_is_gone(client, world):
    story = ArticlePageFactory(parent=world, title="First headline")
    assert "First headline" in client.get(story.url).content.decode()
    story.title = "Corrected headline"
    story.save_revision().publish()
    assert "Corrected headline" in client.get(story.url).content.decode()
    story.unpublish()
    assert client.get(story.url).status_code == 404
