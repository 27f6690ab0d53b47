"""Reads for reader accounts."""

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from .models import User


def email_addresses_for_user(*, user: User) -> QuerySet[EmailAddress]:
    """The primary address first, then one waiting for confirmation (an e-mail change)."""
    return EmailAddress.objects.filter(user=user).order_by("-primary", "email")


def public_profile_get(*, pk: int) -> User | None:
    """A reader shown at /readers/<pk>/: active and with a display name, else None."""
    return User.objects.filter(pk=pk, is_active=True).exclude(display_name="").first()
