"""A photo's rights can change (withdrawn, licence dates edited): the content
version moves so pages memoised with the photo object re-read it at once."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from broadsheet.core.cache import content_version_bump

from .models import Photo

# Wagtail fills these in lazily the first time a photo is rendered; nothing
# a reader sees changes, so the memo stays warm.
_BOOKKEEPING = frozenset({"file_size", "file_hash"})


@receiver(post_save, sender=Photo)
@receiver(post_delete, sender=Photo)
def photo_changed(sender, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= _BOOKKEEPING:
        return
    content_version_bump()
