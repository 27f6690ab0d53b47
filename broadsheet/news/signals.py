"""Cache invalidation on publishing. Signals are used only for this kind of
decoupled side effect: the content version moves inside the publishing
transaction, and CDN purges run after it commits, so a publish that fails
halfway changes and purges nothing.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Revision, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from broadsheet.core.cache import content_version_bump
from broadsheet.core.models import SiteIdentity
from broadsheet.edge.services import edge_keys_purge
from broadsheet.mediabank.selectors import photo_bank_urls
from broadsheet.mediabank.tasks import page_photo_ids, page_renditions_request

from .edge_keys import page_purge_keys, section_key, tag_name_key, topic_key
from .live_events import (
    stories_newsfeed_resync,
    story_newsfeed_published,
    story_newsfeed_withdraw,
    story_public,
)
from .models import ArticlePage, AuthorPage, GalleryPage, HomePage, SectionPage, TagIndexPage
from .purge import story_purge_urls, urls_purge

_WATCHED = (ArticlePage, GalleryPage, SectionPage, HomePage, AuthorPage, TagIndexPage)
_WITH_PHOTOS = (ArticlePage, GalleryPage)


def _on_change(instance):
    # The version moves inside the transaction: it commits (or rolls back)
    # with the change itself, and so do the edge purges it queues.
    content_version_bump()
    hard, soft = page_purge_keys(instance)
    edge_keys_purge(keys=hard)
    edge_keys_purge(keys=soft, soft=True)
    if isinstance(instance, ArticlePage):
        urls = story_purge_urls(instance)
    elif isinstance(instance, GalleryPage):
        urls = [instance, instance.get_parent()]
    else:
        urls = [instance]
    if isinstance(instance, _WITH_PHOTOS) and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        # A photo's bank page lists the public pages using it ("Published in")
        # and is withheld while only non-public pages do: it changes too.
        for photo_id in page_photo_ids(instance):
            urls.extend(photo_bank_urls(photo_id=photo_id))
    transaction.on_commit(lambda: urls_purge(urls))


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, _WATCHED):
        _on_change(instance)


# Open newsfeeds hear of it in the same transaction (live_events.py).
@receiver(page_published)
def story_published(sender, instance, **kwargs):
    story_newsfeed_published(page=instance)


@receiver(page_unpublished)
def story_unpublished(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        story_newsfeed_withdraw(page_id=instance.pk)


@receiver(post_save, sender=SiteIdentity)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def site_settings_changed(sender, created=False, **kwargs):
    content_version_bump()
    if not (created and sender is SiteIdentity):
        # A site identity row created on first read (Wagtail's for_site)
        # holds the defaults every page already shows.
        edge_keys_purge(keys=["site"])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    # By id: when the page itself is being deleted, it may be gone already.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        stories_newsfeed_resync(under=page)


@receiver(pre_delete)
def story_deleting(sender, instance, **kwargs):
    # Before the row goes: the announcement row goes with it (cascade).
    if isinstance(instance, ArticlePage):
        story_newsfeed_withdraw(page_id=instance.pk)


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, _WATCHED):
        _on_change(instance)


@receiver(post_save, sender=Revision)
def revision_saved(sender, instance, created, **kwargs):
    """Photos chosen for a story or gallery get their renditions made in the
    background as soon as the editor saves, before any reader asks."""
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if created and model is not None and issubclass(model, _WITH_PHOTOS):
        page_renditions_request(page=instance.as_object())


@receiver(story_public, sender=ArticlePage, dispatch_uid="news_edge_embargo_lifted")
def story_became_public(sender, story, **kwargs):
    """An embargo passed (the scheduler's pass, news/live_events.py): the
    story now shows where it was published before its time."""
    hard, soft = page_purge_keys(story)
    edge_keys_purge(keys=hard)
    edge_keys_purge(keys=soft, soft=True)


@receiver(post_page_move)
def page_moved_purge(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """A move changes the page's address and both parents' listings."""
    if isinstance(instance.specific, _WATCHED):
        content_version_bump()
        hard, soft = page_purge_keys(instance)
        parents = [section_key(parent_page_before.pk), section_key(parent_page_after.pk)]
        edge_keys_purge(keys=hard + parents)
        edge_keys_purge(keys=soft, soft=True)


@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def tag_changed(sender, instance, **kwargs):
    content_version_bump()
    edge_keys_purge(keys=[tag_name_key(instance.pk), topic_key(instance.pk)])
