"""Metadata embedded in photo files: read it on upload, strip it from renditions.

`read_metadata` collects what agencies and cameras put in a file: IPTC (the
newsroom standard), XMP (Pillow's `getxmp`, parsed with defusedxml) and EXIF.
Where they disagree IPTC wins, then XMP, then EXIF. `PhotoMetadata.prefill`
copies the values into a Photo's *empty* fields only: what the editor typed
wins over the file.

`strip_rendition_metadata` removes EXIF (GPS, camera serials, names), XMP,
IPTC and comments from a rendition's bytes without re-encoding it. Willow
copies the original's EXIF into JPEG and PNG renditions, so without this a
reader could read the GPS position of a photographer's home from the site.
"""

import datetime
import logging
import re
import struct
from dataclasses import dataclass, field, fields
from decimal import Decimal

from PIL import Image, IptcImagePlugin

logger = logging.getLogger(__name__)

# EXIF tags
IMAGE_DESCRIPTION, ARTIST, COPYRIGHT, DATETIME = 0x010E, 0x013B, 0x8298, 0x0132
EXIF_IFD, GPS_IFD, DATETIME_ORIGINAL = 0x8769, 0x8825, 0x9003
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4

# IPTC IIM (record 2) datasets
IPTC = {
    "object_name": (2, 5),
    "keywords": (2, 25),
    "date": (2, 55),
    "byline": (2, 80),
    "city": (2, 90),
    "country": (2, 101),
    "headline": (2, 105),
    "credit": (2, 110),
    "source": (2, 115),
    "copyright": (2, 116),
    "caption": (2, 120),
}


COORDINATES = ("latitude", "longitude")
# XMP GPSCoordinate: "DDD,MM,SSk" or "DDD,MM.mmk", k one of N, S, E, W.
XMP_COORDINATE = re.compile(
    r"(?P<d>\d{1,3}(?:\.\d+)?)(?:,(?P<m>\d{1,2}(?:\.\d+)?)(?:,(?P<s>\d{1,2}(?:\.\d+)?))?)?"
    r"(?P<ref>[NSEW])"
)


@dataclass
class PhotoMetadata:
    title: str = ""
    caption: str = ""
    photographer: str = ""
    agency: str = ""
    source: str = ""
    copyright_holder: str = ""
    date_taken: datetime.date | None = None
    place: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    keywords: list[str] = field(default_factory=list)

    def merge(self, other: "PhotoMetadata") -> None:
        """Fill this object's empty values from `other`. The coordinates are
        one value: taken together from one source, and 0 is a position."""
        for f in fields(self):
            if f.name in COORDINATES:
                continue
            if not getattr(self, f.name) and getattr(other, f.name):
                setattr(self, f.name, getattr(other, f.name))
        if self.latitude is None and self.longitude is None:
            self.latitude, self.longitude = other.latitude, other.longitude

    def prefill(self, values: dict) -> dict:
        """Return `values` (a form's cleaned_data or model field values) with empty
        entries filled from the file; non-empty entries are left alone."""
        out = dict(values)
        for f in fields(self):
            name = "tags" if f.name == "keywords" else f.name
            value = getattr(self, f.name)
            if name in out and not out[name] and value:
                out[name] = value
        return out


def _text(value) -> str:
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", " ").split())


def _clip(value: str, length: int) -> str:
    return value[:length].strip()


def _date(value: str) -> datetime.date | None:
    value = _text(value)
    for fmt, size in (("%Y:%m:%d", 10), ("%Y-%m-%d", 10), ("%Y%m%d", 8)):
        try:
            return datetime.datetime.strptime(value[:size], fmt).date()
        except ValueError:
            continue
    return None


def _degrees(dms, ref) -> Decimal | None:
    try:
        d, m, s = (float(x) for x in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if _text(ref).upper() in ("S", "W"):
        value = -value
    if not -180 <= value <= 180:
        return None
    return Decimal(f"{value:.6f}")


def _from_exif(img: Image.Image) -> PhotoMetadata:
    exif = img.getexif()
    meta = PhotoMetadata(
        caption=_text(exif.get(IMAGE_DESCRIPTION)),
        photographer=_text(exif.get(ARTIST)),
        copyright_holder=_text(exif.get(COPYRIGHT)).removeprefix("©").strip(),
    )
    meta.date_taken = _date(exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)) or _date(
        exif.get(DATETIME)
    )
    gps = exif.get_ifd(GPS_IFD)
    if GPS_LAT in gps and GPS_LON in gps:
        meta.latitude = _degrees(gps[GPS_LAT], gps.get(GPS_LAT_REF))
        meta.longitude = _degrees(gps[GPS_LON], gps.get(GPS_LON_REF))
        if meta.latitude is None or meta.longitude is None or abs(meta.latitude) > 90:
            meta.latitude = meta.longitude = None
    return meta


def parse_iptc(info: dict) -> PhotoMetadata:
    """Turn `IptcImagePlugin.getiptcinfo()`'s dict into metadata."""

    def get(name):
        value = info.get(IPTC[name])
        return value[0] if isinstance(value, list) else value

    keywords = info.get(IPTC["keywords"]) or []
    if not isinstance(keywords, list):
        keywords = [keywords]
    place = ", ".join(p for p in (_text(get("city")), _text(get("country"))) if p)
    return PhotoMetadata(
        title=_text(get("headline")) or _text(get("object_name")),
        caption=_text(get("caption")),
        photographer=_text(get("byline")),
        agency=_text(get("credit")),
        source=_text(get("source")),
        copyright_holder=_text(get("copyright")).removeprefix("©").strip(),
        date_taken=_date(get("date")),
        place=place,
        keywords=[k for k in (_text(k) for k in keywords) if k],
    )


def _from_iptc(img: Image.Image) -> PhotoMetadata:
    info = IptcImagePlugin.getiptcinfo(img) or {}
    return parse_iptc(info)


def _xmp_text(value) -> str:
    """An XMP value as Pillow's getxmp gives it: text, or an rdf:Alt/Seq/Bag of li."""
    if isinstance(value, dict):
        for key in ("Alt", "Seq", "Bag", "li", "text"):
            if key in value:
                return _xmp_text(value[key])
        return ""
    if isinstance(value, list):
        return _xmp_text(value[0]) if value else ""
    return _text(value)


def _xmp_list(value) -> list[str]:
    if isinstance(value, dict):
        for key in ("Bag", "Seq", "Alt", "li"):
            if key in value:
                return _xmp_list(value[key])
        return []
    if isinstance(value, list):
        return [t for t in (_xmp_text(v) for v in value) if t]
    text = _text(value)
    return [text] if text else []


def _xmp_coordinate(value, refs: str) -> Decimal | None:
    match = XMP_COORDINATE.fullmatch(_xmp_text(value).replace(" ", "").upper())
    if match is None or match["ref"] not in refs:
        return None
    parts = [part for part in (match["d"], match["m"], match["s"]) if part is not None]
    if any("." in part for part in parts[:-1]) or any(float(part) >= 60 for part in parts[1:]):
        return None
    degrees, minutes, seconds = (float(part) for part in [*parts, "0", "0"][:3])
    return _degrees((degrees, minutes, seconds), match["ref"])


def _xmp_position(d: dict) -> tuple[Decimal | None, Decimal | None]:
    latitude = _xmp_coordinate(d.get("GPSLatitude"), "NS")
    longitude = _xmp_coordinate(d.get("GPSLongitude"), "EW")
    if latitude is None or longitude is None or abs(latitude) > 90:
        return None, None
    return latitude, longitude


def _from_xmp(img: Image.Image) -> PhotoMetadata:
    try:
        xmp = img.getxmp()  # needs defusedxml; {} without it
    except Exception:  # noqa: BLE001 - malformed XMP must not break an upload
        logger.info("unreadable XMP ignored", exc_info=True)
        return PhotoMetadata()
    descriptions = xmp.get("xmpmeta", {}).get("RDF", {}).get("Description", [])
    if isinstance(descriptions, dict):
        descriptions = [descriptions]
    d: dict = {}
    for description in descriptions:
        if isinstance(description, dict):
            d.update(description)
    place = ", ".join(p for p in (_xmp_text(d.get("City")), _xmp_text(d.get("Country"))) if p)
    latitude, longitude = _xmp_position(d)
    return PhotoMetadata(
        title=_xmp_text(d.get("Headline")) or _xmp_text(d.get("title")),
        caption=_xmp_text(d.get("description")),
        photographer=_xmp_text(d.get("creator")),
        agency=_xmp_text(d.get("Credit")),
        source=_xmp_text(d.get("Source")),
        copyright_holder=_xmp_text(d.get("rights")).removeprefix("©").strip(),
        date_taken=_date(_xmp_text(d.get("DateCreated"))),
        place=place,
        keywords=_xmp_list(d.get("subject")),
        latitude=latitude,
        longitude=longitude,
    )


def read_metadata(fileobj) -> PhotoMetadata:
    """Read embedded metadata from an image file; never raises for bad metadata.

    The file should already have passed `uploads.inspect_upload`. It is left at 0.
    """
    meta = PhotoMetadata()
    fileobj.seek(0)
    try:
        with Image.open(fileobj) as img:
            for reader in (_from_iptc, _from_xmp, _from_exif):
                try:
                    meta.merge(reader(img))
                except Exception:  # noqa: BLE001 - a bad tag costs the tag, not the upload
                    logger.info("unreadable %s metadata ignored", reader.__name__, exc_info=True)
    except Exception:  # noqa: BLE001
        logger.info("metadata not read", exc_info=True)
    finally:
        fileobj.seek(0)
    meta.title = _clip(meta.title, 255)
    meta.photographer = _clip(meta.photographer, 120)
    meta.agency = _clip(meta.agency, 120)
    meta.source = _clip(meta.source, 120)
    meta.copyright_holder = _clip(meta.copyright_holder, 120)
    meta.place = _clip(meta.place, 160)
    meta.keywords = list(dict.fromkeys(_clip(k, 100) for k in meta.keywords))[:30]
    return meta


# JPEG segments dropped from renditions: APP1 (EXIF, XMP), APP13 (IPTC), COM.
# APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) stay.
_JPEG_DROP = {0xE1, 0xED, 0xFE}
# PNG chunks dropped: EXIF, text (which can carry XMP), modification time.
_PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _strip_jpeg(data: bytes) -> bytes:
    out, i = [data[:2]], 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return data  # not a layout we understand: leave it alone
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data
            out.append(data[i:])
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[i : i + 2])
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if marker not in _JPEG_DROP:
            out.append(data[i : i + 2 + length])
        i += 2 + length
    return data


def _strip_png(data: bytes) -> bytes:
    out, i = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if kind not in _PNG_DROP:
            out.append(data[i:end])
        i = end
    return b"".join(out)


def strip_rendition_metadata(data: bytes) -> bytes:
    """Remove EXIF/XMP/IPTC/comments from JPEG or PNG bytes, losslessly.

    WebP, AVIF and GIF renditions are returned as they are: Pillow writes no
    EXIF or XMP to them unless asked to, and Willow doesn't ask.
    """
    if data[:2] == b"\xff\xd8":
        return _strip_jpeg(data)
    if data.startswith(_PNG_SIGNATURE):
        return _strip_png(data)
    return data
