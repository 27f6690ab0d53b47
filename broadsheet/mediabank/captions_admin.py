"""Admin → "Photo captions": a photo's caption and alt text per edition
(PhotoTranslation), optionally drafted by the machine translation engine
(editions/machine.py) from the photo's original caption and alt text."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

from .models import PhotoTranslation


class PhotoCaptionForm(WagtailAdminModelForm):
    machine_fill = forms.BooleanField(
        label=gettext_lazy("Draft empty fields with machine translation"),
        required=False,
        help_text=gettext_lazy(
            "From the photo's own caption and alt text. Read and correct the draft: "
            "it is published as it is saved."
        ),
    )

    class Meta:
        model = PhotoTranslation
        fields = ["photo", "language", "caption", "alt_text"]

    def clean(self):
        from broadsheet.editions.machine import MachineTranslationError, texts_translate

        cleaned = super().clean()
        photo, language = cleaned.get("photo"), cleaned.get("language")
        if not cleaned.get("machine_fill") or photo is None or not language:
            return cleaned
        wanted = {
            name: getattr(photo, name)
            for name in ("caption", "alt_text")
            if not (cleaned.get(name) or "").strip() and getattr(photo, name).strip()
        }
        try:
            found = texts_translate(
                texts=list(wanted.values()), source=settings.LANGUAGE_CODE, target=language
            )
        except MachineTranslationError as error:
            self.add_error("machine_fill", str(error))
            return cleaned
        for name, original in wanted.items():
            if original in found:
                cleaned[name] = found[original]
                setattr(self.instance, name, found[original])
        return cleaned


class PhotoCaptionViewSet(ModelViewSet):
    model = PhotoTranslation
    icon = "image"
    menu_label = gettext_lazy("Photo captions")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["photo", "language", "caption", "alt_text"]
    list_filter = ["language"]
    search_fields = ["caption", "alt_text", "photo__title"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return PhotoCaptionForm
