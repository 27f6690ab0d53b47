"""The subscribe form and the preference centre's forms. Every refusal is a
message beside the field; nothing a reader types reaches a header or markup."""

import unicodedata

from django import forms
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from broadsheet.core.reader_text import text_has_hidden_controls

from .models import NewsletterList

EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 80
# A browser's own form is far smaller; anything bigger is refused whole
# before Django parses it (the view answers 413 with the form and a message).
MAX_POST_BYTES = 16 * 1024


def _has_control_characters(value: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cf") for c in value) or text_has_hidden_controls(
        value
    )


class NewsletterChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of the offered lists; an unknown or inactive id is a message
    ("Select a valid choice"), never a 500."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        strip=True,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "required": True}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    newsletters = NewsletterChoiceField(
        label=_("Newsletters"),
        queryset=NewsletterList.objects.none(),
        error_messages={"required": _("Choose at least one newsletter.")},
    )
    # Hidden from people (CSS and aria-hidden), filled in by form-filling bots.
    website = forms.CharField(required=False, label=_("Leave this empty"), max_length=200)

    def __init__(self, *args, newsletters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if newsletters is None:
            newsletters = NewsletterList.objects.offered()
        self.fields["newsletters"].queryset = newsletters
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_email(self):
        value = self.cleaned_data["email"]
        if "\r" in value or "\n" in value or _has_control_characters(value):
            raise forms.ValidationError(_("An e-mail address cannot contain line breaks."))
        EmailValidator(message=_("Enter a valid e-mail address."))(value)
        return value.lower()

    def clean_name(self):
        value = self.cleaned_data["name"]
        if _has_control_characters(value):
            raise forms.ValidationError(
                _("A name cannot contain line breaks or invisible control characters.")
            )
        return " ".join(value.split())

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def newsletters_initial(self):
        """The checked boxes of an empty form: the site's daily digest."""
        return [n.pk for n in self.fields["newsletters"].queryset if n.slug == "daily-digest"]


class PreferencesForm(forms.Form):
    newsletters = NewsletterChoiceField(
        label=_("Your newsletters"), queryset=NewsletterList.objects.none(), required=False
    )

    def __init__(self, *args, newsletters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = newsletters


PAUSE_CHOICES = [
    (7, _("1 week")),
    (14, _("2 weeks")),
    (30, _("1 month")),
]


class PauseForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Pause for"), choices=PAUSE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
