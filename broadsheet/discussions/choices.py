"""Choices shared with the news app's page models (kept free of model imports
so that news can import them without a cycle)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DiscussionMode(models.TextChoices):
    # Empty, so that a form or an import that leaves the field out means
    # "inherit" (and Django offers no extra "---------" choice).
    INHERIT = "", _("As the section (or the site)")
    OPEN = "open", _("Open")
    PREMODERATED = "premoderated", _("Pre-moderated: every comment is held for review")
    CLOSED = "closed", _("Closed: existing comments stay, no new ones")


SITE_MODES = [c for c in DiscussionMode.choices if c[0] != DiscussionMode.INHERIT]


def discussion_mode_field() -> models.CharField:
    """The "Discussion" field of a section or story (its Promote tab)."""
    return models.CharField(
        _("discussion"),
        max_length=12,
        choices=DiscussionMode.choices,
        default=DiscussionMode.INHERIT,
        blank=True,
    )
