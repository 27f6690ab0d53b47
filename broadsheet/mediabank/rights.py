"""Rights enforcement beyond the page: when a photo may no longer be shown
(withdrawn by an editor, or its licence expired), its rendition files are
deleted too, so an address copied from an old page, a feed reader or a CDN
edge stops working, and the CDN is told to forget them.

Pages already show a placeholder from the moment of expiry (`Photo.is_usable`
is read at render time); the scheduler (`manage.py run_scheduler`) catches
expiries that pass with nobody saving the photo, and files made again for a
withdrawn photo (the admin makes thumbnails and a full-size "original"
rendition when an editor opens it: public files of a photo nobody may show).
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from broadsheet.core.cache import content_version_bump
from broadsheet.core.origin import absolute_url
from broadsheet.core.surrogate import BANK_KEY, photo_key
from broadsheet.edge.services import edge_keys_purge
from broadsheet.news.purge import urls_purge

from .models import Photo, PhotoRendition


def photo_renditions_withdraw(*, photo: Photo) -> int:
    """Delete the photo's renditions (files go after commit); returns how many."""
    renditions = list(photo.renditions.all())
    if not renditions:
        return 0
    urls = [absolute_url(r.url) for r in renditions]
    PhotoRendition.objects.filter(pk__in=[r.pk for r in renditions]).delete()
    transaction.on_commit(lambda: urls_purge(urls))
    return len(renditions)


def photo_expiries_run(*, now: datetime | None = None) -> list[str]:
    """Withdraw the renditions of photos whose licence has expired or that an
    editor withdrew; the titles of the photos handled."""
    now = now or timezone.now()
    unusable = Photo.objects.filter(
        Q(licence_expires_at__lte=now) | Q(restricted=True), renditions__isnull=False
    ).distinct()
    handled = []
    for photo in unusable:
        with transaction.atomic():
            photo_renditions_withdraw(photo=photo)
            # A withdrawn photo's pages changed when it was withdrawn; an
            # expiry changes them now, unseen by any save.
            if not photo.restricted:
                content_version_bump()
                edge_keys_purge(keys=[photo_key(photo.pk), BANK_KEY])
        handled.append(photo.title)
    return handled
