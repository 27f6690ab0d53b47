"""Where photos are used: reads over Wagtail's reference index.

The index is kept from each page's *row* (live content, or a never-published
page's first draft) and its inline children (gallery photos), so a photo that
only an unpublished draft added is not in it. `photo_draft_pages` finds
those, for the swap, which must not leave an old photo in an editor's draft.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import TextField
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex, Revision

from .models import Photo


def _page_ids(references) -> list[int]:
    page_type = ContentType.objects.get_for_model(Page)
    return [
        int(object_id)
        for object_id in references.filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
        .distinct()
    ]


def photo_pages(*, photo: Photo) -> list[Page]:
    """The pages (specific, any state) that use the photo, newest first."""
    ids = _page_ids(ReferenceIndex.get_references_to(photo))
    return list(Page.objects.filter(pk__in=ids).order_by("-pk").specific())


def photos_pages(*, photos: Iterable[Photo]) -> dict[int, list[Page]]:
    """Each photo's pages (specific, any state, newest first) by photo id, in
    three queries however many photos: references, pages, specific pages."""
    photos = list(photos)
    if not photos:
        return {}
    page_type = ContentType.objects.get_for_model(Page)
    pairs = set(
        ReferenceIndex.get_references_to_in_bulk(photos)
        .filter(base_content_type=page_type)
        .values_list("to_object_id", "object_id")
    )
    pages = {
        page.pk: page for page in Page.objects.filter(pk__in={int(p) for _, p in pairs}).specific()
    }
    used: dict[int, list[Page]] = defaultdict(list)
    for photo_id, page_id in pairs:
        page = pages.get(int(page_id))
        if page is not None:
            used[int(photo_id)].append(page)
    return {photo.pk: sorted(used.get(photo.pk, []), key=lambda p: -p.pk) for photo in photos}


def photo_draft_pages(*, photo: Photo) -> list[Page]:
    """Pages whose latest unpublished revision may use the photo.

    A text prefilter on the revision's JSON (the photo id appears in it) keeps
    this to a handful of revisions; the swap then checks each one properly.
    """
    needle = str(photo.pk)
    revision_ids = (
        Revision.objects.filter(
            pk__in=Page.objects.filter(has_unpublished_changes=True).values("latest_revision")
        )
        .annotate(text=Cast("content", TextField()))
        .filter(text__contains=needle)
        .values_list("object_id", flat=True)
    )
    return list(
        Page.objects.filter(pk__in=[int(i) for i in revision_ids]).order_by("-pk").specific()
    )
