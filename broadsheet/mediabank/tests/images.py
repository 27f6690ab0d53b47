"""Image files for the media bank tests, made with Pillow (and by hand for IPTC)."""

import io
import struct
import zlib

from PIL import Image

from broadsheet.mediabank.factories import photo_jpeg
from broadsheet.mediabank.metadata import (
    ARTIST,
    COPYRIGHT,
    DATETIME_ORIGINAL,
    EXIF_IFD,
    GPS_IFD,
    IMAGE_DESCRIPTION,
)


def make_exif(*, gps=True, artist="Ana Lopez", copyright="Meridian Photo", description=""):
    exif = Image.Exif()
    if artist:
        exif[ARTIST] = artist
    if copyright:
        exif[COPYRIGHT] = copyright
    if description:
        exif[IMAGE_DESCRIPTION] = description
    exif[EXIF_IFD] = {DATETIME_ORIGINAL: "2024:05:01 10:30:00"}
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (59.0, 26.0, 24.0), 3: "W", 4: (24.0, 45.0, 0.0)}
    return exif


def jpeg(*, seed=1, width=320, height=200, exif=None, comment=None) -> bytes:
    img = Image.open(io.BytesIO(photo_jpeg(seed=seed, width=width, height=height)))
    out = io.BytesIO()
    kwargs = {}
    if exif is not None:
        kwargs["exif"] = exif
    if comment is not None:
        kwargs["comment"] = comment
    img.save(out, "JPEG", quality=80, **kwargs)
    return out.getvalue()


def with_iptc(data: bytes, datasets: dict) -> bytes:
    """Insert an IPTC IIM block (Photoshop APP13, resource 0x0404) into a JPEG.
    `datasets` maps (record, dataset) to str or a list of str (repeated datasets)."""
    iim = b""
    for (record, number), values in datasets.items():
        for value in values if isinstance(values, list) else [values]:
            raw = value.encode("utf-8")
            iim += b"\x1c" + bytes([record, number]) + struct.pack(">H", len(raw)) + raw
    if len(iim) % 2:
        iim += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iim))
    payload = b"Photoshop 3.0\x00" + resource + iim
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A PNG of a few hundred bytes that claims to be width × height pixels."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (width + 1) * 4, 9)  # a few rows of black; the rest missing
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>alert(document.cookie)</script><rect width="10" height="10"/></svg>'
)
HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
