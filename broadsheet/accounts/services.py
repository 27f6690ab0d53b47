"""Writes and exports for reader accounts.

Views stay thin: they validate a form and call one function here.
"""

import io
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from broadsheet.mediabank.uploads import UploadInfo, UploadRejected, inspect_upload, safe_filename

from .models import User
from .selectors import email_addresses_for_user

logger = logging.getLogger(__name__)

AVATAR_SIZE = 256
DEFAULT_AVATAR_MAX_BYTES = 5 * 1024 * 1024


class DisplayNameTaken(Exception):
    """Another reader took the name between the form's check and the save."""


def avatar_max_bytes() -> int:
    return getattr(settings, "BROADSHEET_AVATAR_MAX_BYTES", DEFAULT_AVATAR_MAX_BYTES)


def avatar_prepare(*, upload: UploadedFile) -> ContentFile:
    """Check an uploaded avatar like every other image on the site and return a
    square WebP of `AVATAR_SIZE` pixels under a generated name.

    Raises `UploadRejected` with a message for the reader. Re-encoding keeps
    only pixels: EXIF (GPS included), ICC/XMP blocks and anything appended to
    the file (a PNG/HTML polyglot) do not survive.
    """
    limit = avatar_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise UploadRejected(
            _("This file is too big (%(size)s). The largest avatar accepted is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    info = inspect_upload(upload)
    out = io.BytesIO()
    try:
        with Image.open(upload, formats=[info.format]) as img:
            img.seek(0)  # first frame of an animated GIF/WebP
            # JPEGs decode at a reduced scale straight away: a 40-megapixel
            # photo need not be decoded in full for a 256-pixel square.
            img.draft("RGB", (AVATAR_SIZE * 2, AVATAR_SIZE * 2))
            img = ImageOps.exif_transpose(img)
            img = img.convert("RGBA" if _has_alpha(img) else "RGB")
            square = ImageOps.fit(img, (AVATAR_SIZE, AVATAR_SIZE), method=Image.Resampling.LANCZOS)
        square.save(out, format="WEBP", quality=82, method=4)
    except (OSError, ValueError) as exc:
        logger.info("Avatar could not be converted: %s", exc)
        raise UploadRejected(_("This image cannot be used as an avatar.")) from None
    finally:
        upload.seek(0)
    name = safe_filename(
        upload.name, UploadInfo(format="WEBP", width=AVATAR_SIZE, height=AVATAR_SIZE, frames=1)
    )
    return ContentFile(out.getvalue(), name=name)


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in {"RGBA", "LA", "PA"} or (img.mode == "P" and "transparency" in img.info)


def _file_delete_on_commit(name: str) -> None:
    """Remove a stored file once the change that dropped it is committed (a
    rolled-back request keeps its avatar)."""
    if not name:
        return
    storage = User._meta.get_field("avatar").storage

    def delete():
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete avatar file %s", name, exc_info=True)

    transaction.on_commit(delete)


@transaction.atomic
def account_profile_update(
    *,
    user: User,
    display_name: str,
    bio: str,
    avatar: ContentFile | None = None,
    avatar_remove: bool = False,
) -> User:
    """Save the reader's public profile. `avatar` is the output of `avatar_prepare`."""
    old_avatar = user.avatar.name if user.avatar else ""
    user.display_name = display_name
    user.bio = bio
    if avatar is not None:
        user.avatar.save(avatar.name, avatar, save=False)
    elif avatar_remove:
        user.avatar = ""
    user.full_clean(exclude=["password", "username", "email"])
    try:
        with transaction.atomic():
            user.save(update_fields=["display_name", "bio", "avatar"])
    except IntegrityError:
        taken = (
            User.objects.filter(display_name_key=user.display_name_key).exclude(pk=user.pk).exists()
        )
        if avatar is not None:
            # Never referenced by a committed row, and this transaction rolls back.
            user.avatar.storage.delete(user.avatar.name)
        user.refresh_from_db(fields=["display_name", "display_name_key", "bio", "avatar"])
        if not taken:
            raise
        raise DisplayNameTaken from None
    new_avatar = user.avatar.name if user.avatar else ""
    if old_avatar and old_avatar != new_avatar:
        _file_delete_on_commit(old_avatar)
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account for good.

    Comments keep their text and show "deleted user" (the discussions app's
    author key is `on_delete=SET_NULL`); e-mail addresses, sessions' user and
    allauth/axes records go with the user. Sign the request out *before*
    calling this (`auth.logout`), so the session is flushed too.
    """
    avatar = user.avatar.name if user.avatar else ""
    user.delete()
    _file_delete_on_commit(avatar)


def account_data_export(*, user: User) -> dict[str, Any]:
    """Everything the site holds about the reader that they typed or chose,
    as JSON-ready data (the "download my data" file)."""
    emails = email_addresses_for_user(user=user)
    return {
        "format": "broadsheet-account-export/1",
        "profile": {
            "id": user.pk,
            "display_name": user.display_name,
            "bio": user.bio,
            "avatar": user.avatar.url if user.avatar else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": e.email, "primary": e.primary, "verified": e.verified} for e in emails
        ]
        or ([{"email": user.email, "primary": True, "verified": False}] if user.email else []),
        "comments": _comments_for_export(user=user),
        "chat_messages": _chat_messages_for_export(user=user),
        "newsletters": _newsletters_for_export(user=user),
    }


def _newsletters_for_export(*, user: User) -> dict[str, Any] | None:
    from broadsheet.subscriptions.selectors import subscriber_data, subscriber_for_user

    subscriber = subscriber_for_user(user=user)
    return subscriber_data(subscriber=subscriber) if subscriber else None


def _comments_for_export(*, user: User) -> list[dict[str, Any]]:
    from broadsheet.discussions.selectors import comments_for_export

    return list(comments_for_export(user=user))


def _chat_messages_for_export(*, user: User) -> list[dict[str, Any]]:
    from broadsheet.chats.selectors import chat_messages_for_export

    return chat_messages_for_export(user=user)
