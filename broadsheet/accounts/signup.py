"""allauth's sign-up view, made safe against two people taking one display
name at the same moment.

The form checks the name is free, but two sign-ups can both pass that check
before either saves; the database's unique constraint then refuses the second
(`User.Meta.constraints`). Without this the second reader gets a 500 and a
half-made account; with it, the whole sign-up rolls back and the form comes
back with the name marked as taken, everything else as typed.
https://docs.allauth.org/en/latest/account/views.html#signup-account-signup

It also keeps the time a sign-up takes from telling whether an address has an
account (`ACCOUNT_PREVENT_ENUMERATION` makes the pages alike, not the time).
"""

from allauth.account.views import SignupView as AllauthSignupView
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import User
from .validators import display_name_key


def display_name_taken(name: str) -> bool:
    return bool(name) and User.objects.filter(display_name_key=display_name_key(name)).exists()


class SignupView(AllauthSignupView):
    def form_valid(self, form):
        if form.account_already_exists:
            # allauth makes no account for a known address and so never hashes
            # the password, the slow part of a sign-up (~220 ms): without this the
            # answer came ~15× faster for a registered address. Both paths send
            # one e-mail the same way (the adapter's send_mail). Django's
            # ModelBackend hashes for unknown users for the same reason.
            make_password(form.cleaned_data.get("password1"))
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            if not display_name_taken(form.cleaned_data.get("display_name", "")):
                raise
            form.add_error("display_name", _("This display name is already taken."))
            return self.form_invalid(form)
