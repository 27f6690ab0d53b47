"""Upload safety: an image is judged by its content, never by its name.

`inspect_upload` opens the bytes with Pillow restricted to the formats the
site publishes (JPEG, PNG, WebP, AVIF, GIF), refuses anything else (SVG, HTML,
PSD…), refuses files over the byte and pixel limits and decompression bombs
before decoding them, then decodes the whole first frame so a truncated or
corrupt file is refused at upload rather than failing later in a rendition.
Every refusal is an `UploadRejected` with a message for the editor.

`safe_filename` gives the stored file a server-generated name: the slugified
stem of the uploaded name, a random suffix and the extension of the format
actually found in the file.
"""

import os
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF", "GIF")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif", "GIF": "gif"}
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class UploadRejected(ValueError):
    """The file is not an image the site accepts; the message is for the editor."""


@dataclass(frozen=True)
class UploadInfo:
    format: str  # Pillow's name: "JPEG", "PNG", …
    width: int
    height: int
    frames: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def max_pixels() -> int:
    return getattr(settings, "BROADSHEET_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS)


def max_bytes() -> int | None:
    return getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", DEFAULT_MAX_BYTES)


def _size_of(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        pos = fileobj.tell()
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(pos)
    return size


def inspect_upload(fileobj) -> UploadInfo:
    """Check an uploaded image by its content; raise `UploadRejected` if it is refused.

    `fileobj` is any readable, seekable file (an UploadedFile, a File, BytesIO);
    it is left at position 0.
    """
    limit_bytes, limit_pixels = max_bytes(), max_pixels()
    size = _size_of(fileobj)
    if limit_bytes is not None and size > limit_bytes:
        raise UploadRejected(
            _("This file is too big (%(size)s). The largest file accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit_bytes)}
        )
    accepted = ", ".join(EXTENSIONS[f].upper() for f in ALLOWED_FORMATS)
    fileobj.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; for uploads
            # a suspected decompression bomb is always an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj, formats=ALLOWED_FORMATS) as img:
                fmt = img.format
                width, height = img.size
                frames = getattr(img, "n_frames", 1)
                if width * height * frames > limit_pixels:
                    raise UploadRejected(
                        _(
                            "This image has too many pixels (%(width)s × %(height)s). "
                            "The most accepted is %(limit)s megapixels."
                        )
                        % {"width": width, "height": height, "limit": limit_pixels // 1_000_000}
                    )
                img.load()  # decode it all: truncated and corrupt files fail here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(
            _(
                "This image is far too large when decoded (a possible decompression bomb). "
                "The most accepted is %(limit)s megapixels."
            )
            % {"limit": limit_pixels // 1_000_000}
        ) from None
    except UnidentifiedImageError:
        raise UploadRejected(
            _(
                "This file is not an image the site accepts. Accepted formats: %(formats)s "
                "(SVG and other formats are refused)."
            )
            % {"formats": accepted}
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, UploadRejected):
            raise
        raise UploadRejected(
            _("This image file is damaged or incomplete and cannot be read.")
        ) from None
    finally:
        fileobj.seek(0)
    if fmt not in ALLOWED_FORMATS:  # pragma: no cover - Pillow honours `formats`
        raise UploadRejected(_("Accepted formats: %(formats)s.") % {"formats": accepted})
    return UploadInfo(format=fmt, width=width, height=height, frames=frames)


def safe_filename(original_name: str, info: UploadInfo) -> str:
    """`"Harbour at Dawn (final).JPG"` → `"harbour-at-dawn-final-3f9a1c2b.jpg"`."""
    stem = os.path.splitext(os.path.basename(original_name or ""))[0]
    stem = slugify(stem)[:50].strip("-_") or "photo"
    return f"{stem}-{secrets.token_hex(4)}.{info.extension}"
