"""`manage.py import_photos DIR`: metadata in, hostile files out, no duplicates."""

import io
from pathlib import Path

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


def test_import_photos_walks_subfolders_in_path_order_skipping_hidden_ones(tmp_path):
    (tmp_path / "2024" / "may" / "floods").mkdir(parents=True)
    (tmp_path / "2023").mkdir()
    (tmp_path / ".thumbnails").mkdir()
    (tmp_path / "2024" / ".cache").mkdir()
    harbour = jpeg(seed=2)
    (tmp_path / "2024" / "a harbour.jpg").write_bytes(harbour)
    (tmp_path / "2023" / "z harbour.jpg").write_bytes(harbour)
    (tmp_path / "2024" / "may" / "floods" / "flood.jpg").write_bytes(jpeg(seed=3))
    (tmp_path / "2024" / "may" / "page.jpg").write_bytes(HTML_PAGE)
    (tmp_path / "top.jpg").write_bytes(jpeg(seed=4))
    (tmp_path / ".thumbnails" / "hidden.jpg").write_bytes(jpeg(seed=5))
    (tmp_path / "2024" / ".cache" / "hidden.jpg").write_bytes(jpeg(seed=6))
    (tmp_path / "2024" / ".hidden.jpg").write_bytes(jpeg(seed=7))
    (tmp_path / "2024" / "may" / "loop").symlink_to(tmp_path, target_is_directory=True)

    out = io.StringIO()
    call_command("import_photos", str(tmp_path), verbosity=2, stdout=out, stderr=io.StringIO())
    summary = out.getvalue()
    assert "Imported 3, skipped 2." in summary
    assert "already in the library: 1" in summary
    assert "refused: 1" in summary
    assert "2024/a harbour.jpg: already in the library" in summary
    assert "2024/may/page.jpg: refused" in summary
    assert sorted(Photo.objects.values_list("title", flat=True)) == ["flood", "top", "z harbour"]
    assert list(Photo.objects.order_by("pk").values_list("title", flat=True)) == [
        "z harbour",
        "flood",
        "top",
    ]

    assert "Imported 0, skipped 5." in run(tmp_path)
    assert Photo.objects.count() == 3


def test_import_photos_reports_unreadable_files_and_goes_on(tmp_path, monkeypatch):
    (tmp_path / "a.jpg").write_bytes(jpeg(seed=1))
    (tmp_path / "b.jpg").write_bytes(jpeg(seed=2))
    read_bytes = Path.read_bytes

    def failing_read_bytes(path):
        if path.name == "a.jpg":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", failing_read_bytes)
    summary = run(tmp_path)
    assert "Imported 1, skipped 1." in summary
    assert "unreadable: 1" in summary
    assert list(Photo.objects.values_list("title", flat=True)) == ["b"]
