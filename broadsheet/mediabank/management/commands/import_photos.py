"""Import a folder of photos, subfolders included, into the media bank with
their embedded metadata.

    manage.py import_photos /path/to/folder [--collection NAME]

Files are imported in path order, the same on every run; hidden files and
folders (a leading dot) are skipped, and linked folders are not followed.
Each file is checked like an admin upload (mediabank/uploads.py); its IPTC,
XMP and EXIF fill the photo's fields and tags. A file whose content is
already in the library (same SHA-1 `file_hash`) is skipped, so running the
command twice imports nothing new.
"""

import io
from collections import Counter
from pathlib import Path

from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from broadsheet.mediabank.metadata import read_metadata
from broadsheet.mediabank.models import Photo
from broadsheet.mediabank.uploads import UploadRejected, inspect_upload, safe_filename


def walk(directory: Path):
    """Every visible file under `directory`, depth first, sorted by name at each
    level (files and folders together), so the order is the same on every run."""
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not entry.is_symlink():
                yield from walk(entry)
        elif entry.is_file():
            yield entry


class Command(BaseCommand):
    help = (
        "Import every image in a folder and its subfolders, with its embedded metadata; "
        "skips duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--collection", help="name of an existing collection")

    def handle(self, *args, directory: Path, collection=None, **options):
        if not directory.is_dir():
            raise CommandError(f"Not a directory: {directory}")
        target = None
        if collection:
            target = Collection.objects.filter(name=collection).first()
            if target is None:
                raise CommandError(f"No collection named {collection!r}")
        paths = list(walk(directory))
        imported, skipped = 0, Counter()
        details = []
        for path in tqdm(paths, desc="Importing", unit="file", file=self.stderr._out):
            reason = self.import_one(path, target)
            if reason is None:
                imported += 1
            else:
                skipped[reason.split(":")[0]] += 1
                details.append(f"  {path.relative_to(directory)}: {reason}")
        self.stdout.write(f"Imported {imported}, skipped {sum(skipped.values())}.")
        for reason, count in sorted(skipped.items()):
            self.stdout.write(f"  {reason}: {count}")
        if options["verbosity"] > 1:
            self.stdout.write("\n".join(details))

    def import_one(self, path: Path, collection) -> str | None:
        """Import one file; return None, or why it was skipped."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            return f"unreadable: {exc.strerror or exc}"
        buffer = io.BytesIO(data)
        file_hash = hash_filelike(buffer)
        if Photo.objects.filter(file_hash=file_hash).exists():
            return "already in the library"
        try:
            info = inspect_upload(buffer)
        except UploadRejected as exc:
            return f"refused: {exc}"
        meta = read_metadata(buffer)
        photo = Photo(
            title=meta.title or path.stem.replace("_", " ").replace("-", " ").strip() or "Photo",
            caption=meta.caption,
            agency=meta.agency,
            photographer=meta.photographer,
            copyright_holder=meta.copyright_holder,
            source=meta.source,
            date_taken=meta.date_taken,
            place=meta.place,
            latitude=meta.latitude,
            longitude=meta.longitude,
            file=ImageFile(buffer, name=safe_filename(path.name, info)),
            file_size=len(data),
            file_hash=file_hash,
        )
        if collection is not None:
            photo.collection = collection
        with transaction.atomic():
            photo.save()
            if meta.keywords:
                photo.tags.add(*meta.keywords)
        return None
