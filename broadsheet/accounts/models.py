from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import display_name_key, validate_display_name

BIO_MAX_LENGTH = 300


class User(AbstractUser):
    """One user model for readers, reporters, editors and administrators.

    Laid before the first migration, as Django advises, so that reader profiles
    and author links can grow here later without swapping the user model.
    https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project

    Readers are users without the `wagtailadmin.access_admin` permission; they
    sign up and sign in through django-allauth (`/accounts/`).
    """

    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        validators=[validate_display_name],
        help_text=_("Shown with your comments and on your public profile."),
    )
    display_name_key = models.CharField(max_length=255, blank=True, editable=False)
    # Always a square re-encoded by `services.avatar_prepare` (EXIF and anything
    # appended to the upload are gone), never the uploaded bytes.
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    bio = models.CharField(_("short bio"), max_length=BIO_MAX_LENGTH, blank=True)

    class Meta(AbstractUser.Meta):
        constraints = [
            # Only among people who chose a name (staff may have none), and
            # regardless of case: "Ann" must not pass for "ann".
            models.UniqueConstraint(
                fields=["display_name_key"],
                condition=~models.Q(display_name_key=""),
                name="accounts_user_display_name_key_unique",
                violation_error_message=_("This display name is already taken."),
            ),
        ]

    def clean(self):
        super().clean()
        self.display_name_key = display_name_key(self.display_name)

    def save(self, *args, **kwargs):
        # Kept here rather than in a form so every save path (admin, shell,
        # allauth) fills it; QuerySet.update() bypasses it, so don't rename
        # people in bulk.
        self.display_name_key = display_name_key(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "display_name_key"}
        super().save(*args, **kwargs)

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username
