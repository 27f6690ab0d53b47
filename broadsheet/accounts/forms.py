from django import forms
from django.utils.translation import gettext_lazy as _

from broadsheet.mediabank.uploads import ALLOWED_FORMATS, EXTENSIONS, UploadRejected

from .models import BIO_MAX_LENGTH, User
from .services import avatar_prepare
from .validators import (
    DISPLAY_NAME_MAX_LENGTH,
    display_name_key,
    display_name_normalise,
    validate_display_name,
)

AVATAR_ACCEPT = ",".join(f"image/{EXTENSIONS[f].replace('jpg', 'jpeg')}" for f in ALLOWED_FORMATS)


def display_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("Shown with your comments. Not an e-mail address."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


def display_name_clean(value: str, *, user: User | None = None) -> str:
    value = display_name_normalise(value)
    validate_display_name(value)
    taken = User.objects.filter(display_name_key=display_name_key(value))
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if value and taken.exists():
        raise forms.ValidationError(_("This display name is already taken."), code="taken")
    return value


class SignupExtraForm(forms.Form):
    """The fields allauth's sign-up form gains (`ACCOUNT_SIGNUP_FORM_CLASS`):
    allauth's `SignupForm` subclasses this one and calls `signup()` once the
    user exists. https://docs.allauth.org/en/latest/account/forms.html"""

    display_name = display_name_field()
    # Read by allauth's SignupForm (and Django's): where our field goes among allauth's.
    field_order = ["email", "display_name", "password1", "password2"]

    def clean_display_name(self):
        return display_name_clean(self.cleaned_data["display_name"])

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.Form):
    display_name = display_name_field()
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Up to %(max)s characters, shown on your public profile.")
        % {"max": BIO_MAX_LENGTH},
    )
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        widget=forms.FileInput(attrs={"accept": AVATAR_ACCEPT}),
        help_text=_("A JPEG, PNG, WebP, AVIF or GIF picture; we crop it to a square."),
    )
    avatar_remove = forms.BooleanField(label=_("Remove my avatar"), required=False)
    notify_replies = forms.BooleanField(
        label=_("Email me when someone replies to my comments"), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        from broadsheet.discussions.selectors import reply_notifications_wanted

        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "display_name": user.display_name,
                "bio": user.bio,
                "notify_replies": reply_notifications_wanted(user=user),
            },
        )
        super().__init__(*args, **kwargs)
        self.avatar_prepared = None

    def clean_display_name(self):
        return display_name_clean(self.cleaned_data["display_name"], user=self.user)

    def clean_bio(self):
        # Keep line breaks, drop control characters (a bio is plain text).
        bio = self.cleaned_data["bio"].replace("\r\n", "\n")
        return "".join(ch for ch in bio if ch == "\n" or ch.isprintable()).strip()

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload:
            return None
        try:
            self.avatar_prepared = avatar_prepare(upload=upload)
        except UploadRejected as exc:
            raise forms.ValidationError(str(exc), code="avatar") from None
        return upload


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="password")
        return password
