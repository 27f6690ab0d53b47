"""An edition is the site in one language: its own tree of pages (a Wagtail
locale's front page, sections and stories), its own editors, and the
settings that differ per language (time zone, tagline).

The pages themselves are Wagtail's: every locale has its own HomePage under
the root, and a story in two editions is two pages sharing a
`translation_key` (https://docs.wagtail.org/en/stable/advanced_topics/i18n.html).
This row carries only what Wagtail's Locale does not.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def language_choices() -> list[tuple[str, str]]:
    """For model fields: a callable, so that changing BROADSHEET_LANGUAGES
    asks for no migration."""
    return list(settings.LANGUAGES)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Madrid."),
            params={"value": value},
        )


class Edition(models.Model):
    locale = models.OneToOneField(
        "wagtailcore.Locale",
        verbose_name=_("language"),
        on_delete=models.CASCADE,
        related_name="edition",
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=63,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("Dates and times on this edition's pages are shown in this zone."),
    )
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        help_text=_("Shown under the site name in this edition. Empty: the site's tagline."),
    )

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["locale__language_code"]

    def __str__(self) -> str:
        return self.name

    @property
    def language_code(self) -> str:
        return self.locale.language_code

    @property
    def name(self) -> str:
        return dict(settings.LANGUAGES).get(self.language_code, self.language_code)

    def save(self, *args, **kwargs):
        from broadsheet.core.cache import content_version_bump
        from broadsheet.core.surrogate import edition_key
        from broadsheet.edge.services import edge_keys_purge

        super().save(*args, **kwargs)
        # Pages print this edition's zone and tagline: every memo is stale,
        # and every page of the edition at the edge.
        content_version_bump()
        edge_keys_purge(keys=[edition_key(self.locale_id)])
