"""Editions in the Wagtail admin (Settings → Editions): an edition's time
zone and tagline. Its language is chosen once, among the locales that have
no edition yet (Settings → Locales adds a language), and never changed: the
pages of a locale are that edition."""

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Locale

from .models import Edition


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class EditionForm(WagtailAdminModelForm):
    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices)

    class Meta:
        model = Edition
        fields = ["locale", "time_zone", "tagline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["locale"]
        field.label_from_instance = lambda locale: locale.get_display_name()
        if self.instance.pk:
            # The language of an edition is its pages' locale: read-only.
            field.disabled = True
            field.help_text = _("An edition's language cannot change.")
        else:
            field.queryset = Locale.objects.filter(edition__isnull=True)
        self.fields["time_zone"].help_text = Edition._meta.get_field("time_zone").help_text


class EditionViewSet(ModelViewSet):
    model = Edition
    icon = "globe"
    menu_label = _("Editions")
    add_to_settings_menu = True
    menu_order = 150
    form_fields = ["locale", "time_zone", "tagline"]
    list_display = ["__str__", "time_zone", "tagline"]
    search_fields = None

    def get_form_class(self, for_update=False):
        return EditionForm
