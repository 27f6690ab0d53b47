"""Embedded metadata fills empty fields on upload; renditions carry none of it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from broadsheet.mediabank.factories import PhotoFactory
from broadsheet.mediabank.metadata import GPS_IFD, read_metadata, strip_rendition_metadata
from broadsheet.mediabank.models import Photo

from .images import jpeg, make_exif, with_iptc

IPTC_FIELDS = {
    (2, 105): "Floods close the old town",
    (2, 120): "Water covers Raekoja plats after a night of rain.",
    (2, 80): "Kadri Kask",
    (2, 110): "Northlight Images",
    (2, 115): "Pool",
    (2, 116): "© Northlight Images",
    (2, 55): "20240502",
    (2, 90): "Tallinn",
    (2, 101): "Estonia",
    (2, 25): ["flood", "weather"],
}

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
    b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"'
    b' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
    b'<rdf:Description rdf:about="" photoshop:City="Tartu" photoshop:Credit="XMP Agency">'
    b"<dc:creator><rdf:Seq><rdf:li>Mari Tamm</rdf:li></rdf:Seq></dc:creator>"
    b'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">River in spring</rdf:li>'
    b"</rdf:Alt></dc:description><dc:subject><rdf:Bag><rdf:li>river</rdf:li>"
    b"<rdf:li>spring</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def agency_jpeg() -> bytes:
    return with_iptc(jpeg(exif=make_exif(description="EXIF description")), IPTC_FIELDS)


def test_reads_iptc_before_exif():
    meta = read_metadata(io.BytesIO(agency_jpeg()))
    assert meta.title == "Floods close the old town"
    assert meta.caption == "Water covers Raekoja plats after a night of rain."
    assert meta.photographer == "Kadri Kask"
    assert (meta.agency, meta.source) == ("Northlight Images", "Pool")
    assert meta.copyright_holder == "Northlight Images"
    assert meta.date_taken == datetime.date(2024, 5, 2)
    assert meta.place == "Tallinn, Estonia"
    assert meta.keywords == ["flood", "weather"]
    assert (meta.latitude, meta.longitude) == (Decimal("59.440000"), Decimal("-24.750000"))


def test_reads_exif_alone():
    meta = read_metadata(io.BytesIO(jpeg(exif=make_exif(description="Harbour at dawn"))))
    assert (meta.caption, meta.photographer) == ("Harbour at dawn", "Ana Lopez")
    assert meta.copyright_holder == "Meridian Photo"
    assert meta.date_taken == datetime.date(2024, 5, 1)


def test_reads_xmp():
    img, out = Image.open(io.BytesIO(jpeg())), io.BytesIO()
    img.save(out, "JPEG", xmp=XMP)
    meta = read_metadata(out)
    assert (meta.caption, meta.photographer, meta.agency) == (
        "River in spring",
        "Mari Tamm",
        "XMP Agency",
    )
    assert (meta.place, meta.keywords) == ("Tartu", ["river", "spring"])


def xmp_gps_packet(latitude: str, longitude: str, *, as_elements=False) -> bytes:
    if as_elements:
        description = (
            '<rdf:Description rdf:about="">'
            f"<exif:GPSLatitude>{latitude}</exif:GPSLatitude>"
            f"<exif:GPSLongitude>{longitude}</exif:GPSLongitude></rdf:Description>"
        )
    else:
        description = (
            f'<rdf:Description rdf:about="" exif:GPSLatitude="{latitude}"'
            f' exif:GPSLongitude="{longitude}"/>'
        )
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:exif="http://ns.adobe.com/exif/1.0/">'
        f"{description}</rdf:RDF></x:xmpmeta>"
    ).encode()


def with_xmp(packet: bytes, exif=None) -> io.BytesIO:
    img, out = Image.open(io.BytesIO(jpeg(exif=exif))), io.BytesIO()
    img.save(out, "JPEG", xmp=packet, **({"exif": exif} if exif is not None else {}))
    return out


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        ("48,51.5N", "2,17.4E", (Decimal("48.858333"), Decimal("2.290000"))),
        ("48,51,30N", "2,17,24E", (Decimal("48.858333"), Decimal("2.290000"))),
        ("33,52.1S", "151,12.5E", (Decimal("-33.868333"), Decimal("151.208333"))),
        ("59,26,24N", "24,45W", (Decimal("59.440000"), Decimal("-24.750000"))),
        ("0,0S", "0,0W", (Decimal("0.000000"), Decimal("0.000000"))),
    ],
)
def test_reads_xmp_gps(latitude, longitude, expected):
    meta = read_metadata(with_xmp(xmp_gps_packet(latitude, longitude)))
    assert (meta.latitude, meta.longitude) == expected


def test_reads_xmp_gps_written_as_elements():
    meta = read_metadata(with_xmp(xmp_gps_packet("48,51.5N", "2,17.4E", as_elements=True)))
    assert (meta.latitude, meta.longitude) == (Decimal("48.858333"), Decimal("2.290000"))


def test_xmp_gps_wins_over_exif_gps():
    meta = read_metadata(with_xmp(xmp_gps_packet("48,51.5N", "2,17.4E"), exif=make_exif()))
    assert (meta.latitude, meta.longitude) == (Decimal("48.858333"), Decimal("2.290000"))
    assert meta.photographer == "Ana Lopez"


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        ("", ""),
        ("48,51.5N", ""),
        ("48,51.5", "2,17.4E"),
        ("48,51.5E", "2,17.4N"),
        ("91,0N", "2,17.4E"),
        ("48,51.5N", "181,0E"),
        ("48,61N", "2,17.4E"),
        ("48,51,60N", "2,17.4E"),
        ("48,51.5,30N", "2,17.4E"),
        ("48.5,30N", "2,17.4E"),
        ("north", "east"),
        ("48,51.5N,extra", "2,17.4E"),
        ("-48,51.5N", "2,17.4E"),
        ("9" * 400 + "N", "2,17.4E"),
    ],
)
def test_invalid_xmp_gps_is_ignored(latitude, longitude):
    meta = read_metadata(with_xmp(xmp_gps_packet(latitude, longitude)))
    assert (meta.latitude, meta.longitude) == (None, None)


def test_invalid_xmp_gps_falls_back_to_exif_gps():
    meta = read_metadata(with_xmp(xmp_gps_packet("91,0N", "2,0E"), exif=make_exif()))
    assert (meta.latitude, meta.longitude) == (Decimal("59.440000"), Decimal("-24.750000"))


def test_file_without_metadata_gives_empty_metadata():
    meta = read_metadata(io.BytesIO(jpeg()))
    assert not (meta.caption or meta.photographer or meta.keywords or meta.latitude)


@pytest.mark.django_db
def test_admin_upload_prefills_empty_fields_and_the_editor_wins(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "",
            "caption": "The editor's own caption.",
            "photographer": "",
            "file": SimpleUploadedFile("flood.jpg", agency_jpeg()),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    photo = Photo.objects.get()
    assert photo.caption == "The editor's own caption."  # typed: kept
    assert photo.title == "Floods close the old town"  # empty: from the file
    assert photo.photographer == "Kadri Kask"
    assert photo.agency == "Northlight Images"
    assert photo.source == "Pool"
    assert photo.copyright_holder == "Northlight Images"
    assert photo.date_taken == datetime.date(2024, 5, 2)
    assert photo.place == "Tallinn, Estonia"
    assert photo.latitude == Decimal("59.440000")
    assert sorted(photo.tags.names()) == ["flood", "weather"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "keywords"),
    [
        (agency_jpeg, ["flood", "weather"]),  # IPTC keywords
        (lambda: with_xmp(XMP).getvalue(), ["river", "spring"]),  # XMP dc:subject
    ],
)
def test_multiple_uploader_turns_file_keywords_into_tags(admin_client, upload, keywords):
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("upload.jpg", upload())},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert response.json()["success"], response.json()
    photo = Photo.objects.get()
    assert sorted(photo.tags.names()) == keywords
    assert photo.caption  # the other fields were filled as before


@pytest.mark.django_db
def test_admin_upload_without_title_or_metadata_is_titled_from_the_file_name(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "", "file": SimpleUploadedFile("harbour_at-dawn.jpg", jpeg())},
    )
    assert response.status_code == 302
    assert Photo.objects.get().title == "harbour at dawn"


def _has_metadata(data: bytes) -> bool:
    img = Image.open(io.BytesIO(data))
    return bool(img.getexif()) or any(k in img.info for k in ("exif", "xmp", "comment"))


@pytest.mark.django_db
@pytest.mark.parametrize("spec", ["fill-120x80|format-jpeg", "max-100x100|format-png", "width-90"])
def test_renditions_carry_no_exif_or_gps(spec):
    original = jpeg(exif=make_exif(), comment=b"shot at home")
    photo = PhotoFactory(file=ImageFile(io.BytesIO(original), name="gps.jpg"))
    with photo.open_file() as f:
        assert Image.open(f).getexif().get_ifd(GPS_IFD)  # the original does have GPS
    rendition = photo.get_rendition(spec)
    with rendition.file.open("rb") as f:
        data = f.read()
    assert not _has_metadata(data)
    assert Image.open(io.BytesIO(data)).size == (rendition.width, rendition.height)


def test_strip_rendition_metadata_is_lossless_and_keeps_the_picture():
    data = jpeg(exif=make_exif(), comment=b"x")
    stripped = strip_rendition_metadata(data)
    assert _has_metadata(data) and not _has_metadata(stripped)
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(data)).tobytes()
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG", exif=make_exif())
    assert not _has_metadata(strip_rendition_metadata(png.getvalue()))
