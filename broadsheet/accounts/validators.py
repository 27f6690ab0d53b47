"""Rules for the public display name, shared by the model, the sign-up form and
the profile form.

A display name is shown next to every comment, so it must not impersonate
(an e-mail address, "deleted user", the newsroom), hide text direction tricks
(U+202E and other format characters) or carry control characters. Uniqueness
is case-insensitive and enforced by the database on `display_name_key`
(see `User.Meta`).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MIN_LENGTH = 2
DISPLAY_NAME_MAX_LENGTH = 40
RESERVED_DISPLAY_NAMES = frozenset(
    {"admin", "administrator", "broadsheet", "deleted user", "editor", "moderator", "newsroom"}
)


def display_name_normalise(value: str) -> str:
    """NFC form with runs of white space folded to one space and the ends trimmed."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def display_name_key(value: str) -> str:
    """What two names must not share: NFKC case-folded, so "ANN", "ann",
    "Ａｎｎ" (full-width) and, on every database, "АННА"/"анна" collide. SQLite's
    LOWER() and LIKE fold ASCII only, hence a stored key rather than Lower()."""
    return display_name_normalise(unicodedata.normalize("NFKC", value or "")).casefold()[:255]


def validate_display_name(value: str) -> None:
    if not value:
        return
    if len(value) < DISPLAY_NAME_MIN_LENGTH or len(value) > DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(
            _("A display name is %(min)s to %(max)s characters long."),
            code="length",
            params={"min": DISPLAY_NAME_MIN_LENGTH, "max": DISPLAY_NAME_MAX_LENGTH},
        )
    # Cc: control characters; Cf: format characters (bidi overrides, zero-width
    # joiners…) that can disguise a name; Co/Cn: private-use and unassigned.
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cn"} for ch in value):
        raise ValidationError(
            _("A display name cannot contain control or invisible characters."),
            code="invalid_characters",
        )
    if "@" in value:
        raise ValidationError(
            _("A display name cannot be an e-mail address or contain “@”."), code="email"
        )
    if not any(ch.isalnum() for ch in value):
        raise ValidationError(
            _("A display name needs at least one letter or digit."), code="no_letters"
        )
    if value.casefold() in RESERVED_DISPLAY_NAMES:
        raise ValidationError(_("This display name is reserved."), code="reserved")
