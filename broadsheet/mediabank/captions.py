"""A photo's caption and alt text per edition (PhotoTranslation), read with a
fallback to the photo's own (original) fields.

Listings load the rows with the photo (`renditions.py` prefetches
`translations` beside the renditions), so printing a caption in any language
costs no query there; a photo loaded alone costs one query for its rows.
"""

from django.conf import settings
from django.utils import translation

from .models import Photo, PhotoTranslation


def _language(language: str | None) -> str:
    return language or translation.get_language() or settings.LANGUAGE_CODE


def _row(photo: Photo, language: str) -> PhotoTranslation | None:
    cache = getattr(photo, "_prefetched_objects_cache", {})
    if "translations" in cache:
        rows = cache["translations"]
    else:
        rows = list(photo.translations.all())
        # Once per photo object: the next caption or alt text reads this.
        photo._prefetched_objects_cache = {**cache, "translations": rows}
    return next((row for row in rows if row.language == language), None)


def photo_caption(*, photo: Photo | None, language: str | None = None) -> str:
    """The caption readers of `language` (default: the active one) see."""
    if photo is None:
        return ""
    row = _row(photo, _language(language))
    return (row.caption if row is not None and row.caption.strip() else "") or photo.caption


def photo_alt_text(*, photo: Photo | None, language: str | None = None) -> str:
    """The alt text in `language`, else the original's, else caption or title
    (as Photo.default_alt_text)."""
    if photo is None:
        return ""
    row = _row(photo, _language(language))
    if row is not None and row.alt_text.strip():
        return row.alt_text
    return photo.default_alt_text


def photo_alt_texts(*, photos: list[Photo], language: str) -> dict[int, str]:
    """photo pk → the alt text written for `language` or the original's (no
    caption/title fallback: this is what the publishing check asks for)."""
    rows = dict(
        PhotoTranslation.objects.filter(photo__in=photos, language=language)
        .exclude(alt_text="")
        .values_list("photo_id", "alt_text")
    )
    return {photo.pk: rows.get(photo.pk) or photo.alt_text for photo in photos}
