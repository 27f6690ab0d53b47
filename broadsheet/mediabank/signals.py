"""A photo's rights can change (withdrawn, licence dates edited): the content
version moves so pages memoised with the photo object re-read it at once,
after commit the CDN forgets the public pages showing it and its bank page,
and its rendition files are made (background task) or withdrawn."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.search.tasks import insert_or_update_object_task

from broadsheet.core.cache import content_version_bump
from broadsheet.core.surrogate import BANK_KEY, photo_key
from broadsheet.edge.services import edge_keys_purge
from broadsheet.news.purge import urls_purge

from .models import Photo, PhotoTranslation
from .rights import photo_renditions_withdraw
from .tasks import photo_renditions_request

# Wagtail fills these in lazily the first time a photo is rendered; nothing
# a reader sees changes, so the memo stays warm.
_BOOKKEEPING = frozenset({"file_size", "file_hash"})


def photo_purge_targets(*, photo_id: int) -> list:
    """The public pages using the photo and its media bank page, in every language."""
    from .selectors import photo_bank_urls, photo_public_pages

    return [*photo_public_pages(photo_id=photo_id), *photo_bank_urls(photo_id=photo_id)]


def _purge_on_commit(photo_id: int) -> None:
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        targets = photo_purge_targets(photo_id=photo_id)
        transaction.on_commit(lambda: urls_purge(targets))


@receiver(post_save, sender=Photo)
@receiver(post_delete, sender=Photo)
def photo_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= _BOOKKEEPING:
        return
    content_version_bump()
    edge_keys_purge(keys=[photo_key(instance.pk), BANK_KEY])
    if kwargs.get("signal") is post_save:
        _purge_on_commit(instance.pk)
        _renditions_follow_rights(instance)


def _renditions_follow_rights(photo: Photo) -> None:
    """A photo that may be shown gets its renditions made in the background
    (new upload, new focal point, restored rights); one that may not loses them."""
    if photo.is_usable:
        photo_renditions_request(photo_id=photo.pk, force=True)
    else:
        photo_renditions_withdraw(photo=photo)


@receiver(pre_delete, sender=Photo)
def photo_deleting(sender, instance, **kwargs):
    # Read before the delete: afterwards the reference index has forgotten the pages.
    _purge_on_commit(instance.pk)


@receiver(m2m_changed, sender=Photo.tags.through)
def photo_keywords_changed(sender, instance, action, reverse, **kwargs):
    """Keywords are shown, filtered on and searched in the media bank: a change
    moves the content version and re-indexes the photo. Wagtail re-indexes on
    save (before `tags.add` runs) and after its own image form; `import_photos`,
    the demo and code adding keywords after the save would otherwise leave them
    out of the index. The same task Wagtail's own post_save handler enqueues."""
    if reverse or not isinstance(instance, Photo):
        return
    if action in ("post_add", "post_remove", "post_clear"):
        content_version_bump()
        edge_keys_purge(keys=[photo_key(instance.pk), BANK_KEY])
        insert_or_update_object_task.enqueue(
            instance._meta.app_label, instance._meta.model_name, str(instance.pk)
        )


@receiver(post_save, sender=PhotoTranslation)
@receiver(post_delete, sender=PhotoTranslation)
def photo_caption_changed(sender, instance, **kwargs):
    """A caption or alt text in one edition: pictures are memoised with it."""
    content_version_bump()
    edge_keys_purge(keys=[photo_key(instance.photo_id)])
