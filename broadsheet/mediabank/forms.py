"""The Wagtail image form (WAGTAILIMAGES_IMAGE_FORM_BASE): safe uploads and
metadata prefill for every upload through the admin (single and multiple)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.widgets import AdminImageChooser

from .metadata import read_metadata
from .models import Photo
from .uploads import UploadRejected, inspect_upload, safe_filename


class SafeImageField(WagtailImageField):
    """Wagtail's image field, with the content checks run *first*: Wagtail's own
    checks open the file with Willow, which raises (a 500) on a truncated JPEG."""

    def to_python(self, data):
        if isinstance(data, UploadedFile):
            try:
                data.upload_info = inspect_upload(data)
            except UploadRejected as exc:
                raise ValidationError(str(exc), code="rejected_upload") from None
        return super().to_python(data)


class PhotoForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_metadata = None
        self.original_name = ""
        if "file" in self.fields:
            old = self.fields["file"]
            self.fields["file"] = SafeImageField(
                label=old.label, required=old.required, widget=old.widget
            )
            if "title" in self.fields and not self.instance.pk:
                # A new photo may take its title from the file's headline or name.
                self.fields["title"].required = False

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if not isinstance(f, UploadedFile):
            return f  # no new file: editing the other fields
        try:
            info = getattr(f, "upload_info", None) or inspect_upload(f)
        except UploadRejected as exc:
            raise ValidationError(str(exc), code="rejected_upload") from None
        self.file_metadata = read_metadata(f)
        self.original_name = f.name
        f.name = safe_filename(f.name, info)
        return f

    def clean(self):
        cleaned = super().clean()
        meta = self.file_metadata
        if meta is not None:
            present = {name: cleaned[name] for name in self.fields if name in cleaned}
            cleaned.update(meta.prefill(present))
        if "title" in self.fields and not cleaned.get("title") and "title" not in self.errors:
            if meta is not None:
                stem = self.original_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                cleaned["title"] = stem.replace("_", " ").replace("-", " ").strip() or "Photo"
            else:
                self.add_error("title", self.fields["title"].error_messages["required"])
        return cleaned


class ExpiringPhotosForm(forms.Form):
    """The "Expiring photos" report's filters (GET)."""

    days = forms.IntegerField(
        label=_("Expiring within (days)"), min_value=1, max_value=3650, initial=30, required=False
    )
    include_expired = forms.BooleanField(
        label=_("Also show expired and withdrawn photos"), required=False
    )

    def clean_days(self):
        days = self.cleaned_data.get("days")
        return 30 if days is None else days


class LenientImageChooser(AdminImageChooser):
    """Re-displays a rejected form: an id that isn't a number shows an empty chooser."""

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError):
            return None


class PhotoSwapForm(forms.Form):
    """Pick the photo that replaces `old` on every page."""

    replacement = forms.ModelChoiceField(
        label=_("Replacement photo"),
        queryset=Photo.objects.all(),
        widget=LenientImageChooser,
        error_messages={"invalid_choice": _("There is no photo with that id.")},
    )

    def __init__(self, *args, old: Photo, **kwargs):
        super().__init__(*args, **kwargs)
        self.old = old

    def clean_replacement(self):
        from .services import photo_swap_refusal

        new = self.cleaned_data.get("replacement")
        refusal = photo_swap_refusal(old=self.old, new=new)
        if refusal:
            raise ValidationError(refusal, code="refused")
        return new
