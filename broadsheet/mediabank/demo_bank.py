"""A large media bank for benchmarks: 10,000 photos in seconds.

Uploading and rendering that many pictures would take hours (~3 s of image
processing per photo), and the media bank's cost does not depend on the
pixels. So archive photos are written in bulk as rows that reuse the files of
the demo photos (demo.py's "Demo photo …"): the same original and, for every
standard rendition, a ``PhotoRendition`` row pointing at the demo photo's
rendition file. Pages therefore find every rendition they ask for and never
generate one.

What varies is what the media bank searches and sorts on: title, caption,
place, photographer, date taken (spread over about twenty years), keywords and
``created_at`` (archive photo ``n`` is ``n`` × 17 hours older than photo 0).
Photo ``n`` always gets the same values, and ``bank_archive_build`` adds only
the photos beyond those already there, one transaction per batch.

``bulk_create`` sends no ``post_save``, so Wagtail's search index would not
hear of these photos and the media bank's word search would not find them:
each batch is added to the index in the same transaction, and archive photos
missing from it (an archive built before the bank was searched through the
index) are added on the next run.

Bench data only: the rendition files are shared with the demo photos, so
deleting an archive photo through Wagtail deletes files the demo photo uses.
"""

import random
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem
from wagtail.search.backends import get_search_backends
from wagtail.search.models import IndexEntry

from broadsheet.core.cache import content_version_bump

from .models import Photo, PhotoRendition
from .renditions import ALL_SPECS, photo_renditions_generate

TITLE_PREFIX = "Archive photo"
BATCH = 2000
NEWEST_CREATED = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
NEWEST_TAKEN = date(2026, 9, 30)
STEP = timedelta(hours=17)

# 40 places: a search for one finds ~2.5% of the archive.
PLACES = [
    "Ashcombe", "Belmora", "Carrowick", "Dunmere", "Elsworth", "Fairhaven", "Glenroy",
    "Harwick", "Ilsby", "Jarrowmoor", "Kestrel Point", "Lindenfall", "Marlowe Quay",
    "Northam", "Oakridge", "Pellmoor", "Quarry Hill", "Ravensholt", "Saltmarsh",
    "Thornbury", "Ulverdale", "Vantry", "Westerleigh", "Yarrowby", "Zennor Cove",
    "Abbotsfield", "Brackenford", "Coldharbour", "Dovecote", "Eastwold", "Foxmoor",
    "Greyhaven", "Hollowmere", "Ironbridge", "Juniper Bay", "Kingsmead", "Larkspur",
    "Millbrook", "Netherby", "Orchard Vale",
]  # fmt: skip
FIRST = ["Ines", "Tomas", "Mirela", "Jonah", "Keiko", "Rafael", "Saoirse", "Anders", "Leyla",
         "Dmitri", "Ama", "Pieter"]  # fmt: skip
LAST = ["Varga", "Lindqvist", "Achebe", "Moreau", "Tanaka", "Castellanos", "Byrne"]
KEYWORDS = [
    "Harbour", "Protest", "Election night", "Flood", "Wildfire", "Harvest", "Parliament",
    "Strike", "Festival", "Marathon", "Storm", "Drought", "Rail", "Hospital", "School",
    "Market", "Bridge", "Mine", "Fishing", "Snow", "Court", "Summit", "Refugees", "Airport",
]  # fmt: skip
SUBJECTS = [
    "Crowds gather", "Morning light", "Workers", "Rescue teams", "Volunteers",
    "Children", "Officials", "Fishermen", "Commuters", "Farmers", "Demonstrators", "Residents",
]  # fmt: skip
ACTIONS = [
    "wait for news", "clear the debris", "mark the anniversary", "prepare for the season",
    "cross the old bridge", "queue outside the station", "watch the results come in",
    "repair the sea wall",
]  # fmt: skip
AGENCIES = ["Broadsheet", "Broadsheet Pool", "Meridian Photo", "Northlight Images"]


@contextmanager
def _created_at_kept():
    """Let bulk_create store our own ``created_at`` (an ``auto_now_add`` field)."""
    field = Photo._meta.get_field("created_at")
    field.auto_now_add = False
    try:
        yield
    finally:
        field.auto_now_add = True


def _photo(n: int, source: Photo) -> tuple[Photo, list[str]]:
    rng = random.Random(31337 + n)
    place = PLACES[rng.randrange(len(PLACES))]
    subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)
    photo = Photo(
        title=f"{TITLE_PREFIX} {n + 1}: {place}",
        file=source.file.name,
        width=source.width,
        height=source.height,
        file_size=source.file_size,
        file_hash=f"archive-{n}",
        collection_id=source.collection_id,
        caption=f"{subject} {action} in {place}.",
        alt_text=f"{subject} in {place}",
        agency=AGENCIES[n % len(AGENCIES)],
        photographer=f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]}",
        place=place,
        date_taken=NEWEST_TAKEN - n * STEP,
        created_at=NEWEST_CREATED - n * STEP - timedelta(minutes=rng.randint(0, 59)),
        usage_terms="Editorial use only",
    )
    return photo, rng.sample(KEYWORDS, k=rng.randint(1, 3))


def _index(pks: list[int]) -> None:
    """Add these photos to every search backend that Wagtail keeps up to date
    (one INSERT per backend; keywords prefetched, not one query per photo)."""
    photos = list(Photo.get_indexed_objects().filter(pk__in=pks))
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(Photo, photos)


def _index_missing(progress: Callable[[Iterable, int, str], Iterable]) -> int:
    """Index the archive photos the search index lacks; returns how many."""
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Photo),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    missing = list(
        Photo.objects.filter(title__startswith=TITLE_PREFIX)
        .exclude(Exists(entries))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    batches = [missing[i : i + BATCH] for i in range(0, len(missing), BATCH)]
    for batch in progress(batches, len(batches), f"bank photos to index ({BATCH} a batch)"):
        with transaction.atomic(using=router.db_for_write(IndexEntry)):
            _index(batch)
    return len(missing)


def bank_archive_build(
    *, photos: int, progress: Callable[[Iterable, int, str], Iterable] | None = None
) -> int:
    """Make sure archive photos 0…photos-1 exist; returns how many were created.

    Needs the demo photos (demo.demo_build). Makes their missing standard
    renditions first, even when no photo is added, so every photo then has all
    of them and ``make_renditions`` need not check the archive one by one.
    """
    progress = progress or (lambda iterable, total, label: iterable)
    using = router.db_for_write(Photo)
    sources = list(Photo.objects.filter(title__startswith="Demo photo").order_by("pk"))
    if not sources:
        raise RuntimeError("The media bank archive needs the demo photos first (demo.demo_build).")
    for source in sources:
        photo_renditions_generate(photo=source)
    if _index_missing(progress):
        content_version_bump()  # memoised searches may have missed them
    existing = Photo.objects.filter(title__startswith=TITLE_PREFIX).count()
    if existing >= photos:
        return 0
    renditions: dict[int, list[PhotoRendition]] = {source.pk: [] for source in sources}
    for rendition in PhotoRendition.objects.filter(image__in=sources, filter_spec__in=ALL_SPECS):
        renditions[rendition.image_id].append(rendition)

    names = {tag.name: tag for tag in Tag.objects.filter(name__in=KEYWORDS)}
    Tag.objects.bulk_create(
        [Tag(name=name, slug=slugify(name)) for name in KEYWORDS if name not in names],
        ignore_conflicts=True,
    )
    tags = {tag.name: tag.pk for tag in Tag.objects.filter(name__in=KEYWORDS)}
    content_type_id = ContentType.objects.get_for_model(Photo).pk

    numbers = range(existing, photos)
    batches = [numbers[i : i + BATCH] for i in range(0, len(numbers), BATCH)]
    created = 0
    for batch in progress(batches, len(batches), f"bank photos ({BATCH} a batch)"):
        with transaction.atomic(using=using), _created_at_kept():
            made = [_photo(n, sources[n % len(sources)]) for n in batch]
            Photo.objects.using(using).bulk_create([photo for photo, _ in made])
            TaggedItem.objects.using(using).bulk_create(
                TaggedItem(tag_id=tags[name], content_type_id=content_type_id, object_id=photo.pk)
                for photo, keywords in made
                for name in keywords
            )
            PhotoRendition.objects.using(using).bulk_create(
                PhotoRendition(
                    image_id=photo.pk,
                    filter_spec=rendition.filter_spec,
                    focal_point_key=rendition.focal_point_key,
                    file=rendition.file.name,
                    width=rendition.width,
                    height=rendition.height,
                )
                for n, (photo, _) in zip(batch, made, strict=True)
                for rendition in renditions[sources[n % len(sources)].pk]
            )
            _index([photo.pk for photo, _ in made])
            created += len(made)
    if created:
        content_version_bump()
    return created
