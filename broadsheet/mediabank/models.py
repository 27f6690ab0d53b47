"""The photo archive: Broadsheet's custom Wagtail image model.

Wagtail advises swapping the image model before the first migration, because
changing it later means migrating every image reference on the site.
https://docs.wagtail.org/en/stable/advanced_topics/images/custom_image_model.html
"""

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    Image,
    WagtailImageField,
    get_upload_to,
)
from wagtail.search import index

from broadsheet.core.fragments import fragment_changes_at


def originals_storage():
    """Where uploaded originals live: the private "originals" storage, never the
    public media (settings STORAGES; renditions stay in the default storage).
    A callable, so migrations name it rather than freeze one location."""
    return storages["originals"]


class Photo(AbstractImage):
    # Wagtail's own field, stored privately: originals keep their GPS position,
    # by-line and caption, and only the media bank's original view serves them.
    file = WagtailImageField(
        verbose_name=_("file"),
        upload_to=get_upload_to,
        width_field="width",
        height_field="height",
        storage=originals_storage,
    )
    caption = models.TextField(
        _("caption"),
        blank=True,
        help_text=_("What the photo shows: who, what, where, when. Shown under the photo."),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_(
            "Describes the picture for readers who cannot see it. Don't start with 'Photo of'."
        ),
    )
    agency = models.CharField(
        _("credit / agency"),
        max_length=120,
        blank=True,
        help_text=_("The agency or outlet credited, e.g. 'Broadsheet'."),
    )
    photographer = models.CharField(_("photographer"), max_length=120, blank=True)
    copyright_holder = models.CharField(
        _("copyright holder"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty when it is the agency."),
    )
    date_taken = models.DateField(_("date taken"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=160, blank=True)
    source = models.CharField(
        _("source"),
        max_length=120,
        blank=True,
        help_text=_("Who supplied the file, if not the agency (IPTC 'Source')."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Where it was taken, from the camera's GPS. Never published in the file."),
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    usage_terms = models.CharField(
        _("usage terms"),
        max_length=255,
        blank=True,
        help_text=_("For example 'Editorial use only'."),
    )
    licence_expires_at = models.DateTimeField(
        _("Licence expires"),
        null=True,
        blank=True,
        help_text=_(
            "When our right to use the photo ends. From then on the site shows a "
            "placeholder wherever it was used. Leave empty if the licence does not expire."
        ),
    )
    restricted = models.BooleanField(
        _("Withdrawn by an editor"),
        default=False,
        help_text=_(
            "Withdraw the photo everywhere at once: pages, social cards and the media "
            "bank show a placeholder instead."
        ),
    )

    admin_form_fields = (
        *Image.admin_form_fields,
        "caption",
        "alt_text",
        "agency",
        "photographer",
        "copyright_holder",
        "date_taken",
        "place",
        "usage_terms",
        "source",
        "latitude",
        "longitude",
        "licence_expires_at",
        "restricted",
    )

    # Wagtail's image fields (title, description, keywords) plus what the media
    # bank's word search reads (mediabank/selectors.py): every word is looked
    # up in the "autocomplete" column of Wagtail's search index (SQLite FTS5,
    # PostgreSQL tsvector), so each field is an AutocompleteField too.
    search_fields = [
        *AbstractImage.search_fields,
        *(
            kind(name)
            for name in ("caption", "place", "photographer")
            for kind in (index.SearchField, index.AutocompleteField)
        ),
    ]

    class Meta(AbstractImage.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        permissions = [("choose_image", "Can choose image")]

    def generate_rendition_file(self, filter, *, source=None):
        """Every rendition is published: drop EXIF (GPS, names), XMP, IPTC and
        comments, which Willow copies from the original into JPEG and PNG."""
        from .metadata import strip_rendition_metadata

        generated = super().generate_rendition_file(filter, source=source)
        generated.seek(0)
        data = generated.read()
        return ContentFile(strip_rendition_metadata(data), name=generated.name)

    @property
    def is_usable(self) -> bool:
        """May the site show this photo now? Checked at render time, so an expiry
        takes effect the moment it passes, even for objects held in the memo; a
        kept fragment showing it is kept only until then (core/fragments.py)."""
        if self.restricted:
            return False
        if self.licence_expires_at is None:
            return True
        if self.licence_expires_at > timezone.now():
            fragment_changes_at(self.licence_expires_at)
            return True
        return False

    @property
    def default_alt_text(self):
        return self.alt_text or self.caption or self.title

    @property
    def credit_line(self) -> str:
        """The credit as printed everywhere on the site: "© Agency / Photographer"."""
        names = [n for n in (self.agency or self.copyright_holder, self.photographer) if n]
        return "© " + " / ".join(names) if names else ""


class PhotoRendition(AbstractRendition):
    image = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def _language_choices():
    # A callable: changing BROADSHEET_LANGUAGES asks for no migration.
    from django.conf import settings

    return list(settings.LANGUAGES)


class PhotoTranslation(models.Model):
    """A photo's caption and alt text in one edition's language. The photo's
    own fields are the original (the language it was filed in); an edition
    without a row here prints those (mediabank/selectors.photo_caption)."""

    photo = models.ForeignKey(
        Photo, on_delete=models.CASCADE, related_name="translations", verbose_name=_("photo")
    )
    language = models.CharField(_("language"), max_length=10, choices=_language_choices)
    caption = models.TextField(_("caption"), blank=True)
    alt_text = models.CharField(
        _("alt text"),
        max_length=255,
        blank=True,
        help_text=_("Empty: readers of this edition get the photo's original alt text."),
    )

    class Meta:
        verbose_name = _("photo caption")
        verbose_name_plural = _("photo captions")
        ordering = ["photo", "language"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "language"], name="photo_translation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.photo.title} ({self.language})"
