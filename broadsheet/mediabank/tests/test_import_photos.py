"""`manage.py import_photos DIR`: metadata in, hostile files out, no duplicates."""

import io

import pytest
from django.core.management import CommandError, call_command

from broadsheet.mediabank.models import Photo

from .images import HTML_PAGE, jpeg, make_exif, png_bomb, with_iptc

pytestmark = pytest.mark.django_db


def run(directory) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_photos", str(directory), stdout=out, stderr=err)
    return out.getvalue()


def test_import_photos_imports_metadata_skips_bad_files_and_is_idempotent(tmp_path):
    flood = with_iptc(jpeg(seed=1), {(2, 105): "Flood", (2, 80): "Kadri Kask", (2, 25): ["flood"]})
    (tmp_path / "flood.jpg").write_bytes(flood)
    (tmp_path / "copy of flood.jpg").write_bytes(flood)
    (tmp_path / "harbour.jpg").write_bytes(jpeg(seed=2, exif=make_exif()))
    (tmp_path / "page.jpg").write_bytes(HTML_PAGE)
    (tmp_path / "bomb.png").write_bytes(png_bomb())
    (tmp_path / ".DS_Store").write_bytes(b"junk")

    summary = run(tmp_path)
    assert "Imported 2, skipped 3." in summary
    assert "already in the library: 1" in summary
    assert "refused: 2" in summary
    flood_photo = Photo.objects.get(title="Flood")
    assert flood_photo.photographer == "Kadri Kask"
    assert list(flood_photo.tags.names()) == ["flood"]
    assert flood_photo.file_hash and flood_photo.file.name.startswith("original_images/")
    harbour = Photo.objects.get(title="harbour")
    assert harbour.photographer == "Ana Lopez" and harbour.latitude is not None

    assert "Imported 0, skipped 5." in run(tmp_path)
    assert Photo.objects.count() == 2


def test_import_photos_needs_a_directory(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "missing")
