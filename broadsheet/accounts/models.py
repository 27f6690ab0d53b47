from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """One user model for readers, reporters, editors and administrators.

    Laid before the first migration, as Django advises, so that reader profiles
    and author links can grow here later without swapping the user model.
    https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project
    """

    display_name = models.CharField(_("display name"), max_length=80, blank=True)

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username
