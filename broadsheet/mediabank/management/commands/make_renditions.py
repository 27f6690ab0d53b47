import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from broadsheet.mediabank.models import Photo
from broadsheet.mediabank.renditions import ALL_SPECS, photo_renditions_generate


class Command(BaseCommand):
    help = (
        "Make the standard renditions (renditions.ALL_SPECS: every size in AVIF, WebP and "
        "JPEG, the social card and the web copy) of every usable photo that lacks some. "
        "The task worker does this for new photos; run it after changing the rendition "
        "sets or formats, or to fill a restored archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many photos.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, limit=None, no_progress=False, **options):
        photos = [p for p in Photo.objects.order_by("pk") if p.is_usable][:limit]
        start = time.perf_counter()
        for photo in tqdm(photos, unit=" photos", disable=no_progress, file=self.stderr._out):
            photo_renditions_generate(photo=photo)
        seconds = time.perf_counter() - start
        rate = len(photos) / seconds if seconds else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(photos)} photos × {len(ALL_SPECS)} renditions checked or made in "
                f"{seconds:.1f} s ({rate:.2f} photos/s)."
            )
        )
