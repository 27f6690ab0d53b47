"""Reader account pages: settings, data download, deletion and the public profile.

Sign-up, sign-in, e-mail and password pages are django-allauth's (`/accounts/`),
rendered in the site design by the templates in templates/allauth/.
"""

import json

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from broadsheet.core.origin import absolute_url
from broadsheet.discussions.selectors import comments_by_author
from broadsheet.discussions.services import discussion_preferences_set
from broadsheet.discussions.standing import (
    community_rules_url,
    moderation_contact_address,
    reader_standing_summary,
)
from broadsheet.subscriptions.selectors import account_newsletters

from .forms import AccountDeleteForm, ProfileForm
from .selectors import email_addresses_for_user, public_profile_get
from .services import (
    DisplayNameTaken,
    account_data_export,
    account_delete,
    account_profile_update,
)


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


class AccountView(LoginRequiredMixin, View):
    """The reader's own settings: public profile, links to allauth's e-mail and
    password pages, data download and deletion; and, when there is something
    to say, their standing in the discussions (warnings, a suspension or ban
    with the reasons, comments held or rejected)."""

    template_name = "accounts/account.html"

    def get(self, request):
        return self.render(ProfileForm(user=request.user))

    def post(self, request):
        form = ProfileForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            account_profile_update(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                bio=form.cleaned_data["bio"],
                avatar=form.avatar_prepared,
                avatar_remove=form.cleaned_data["avatar_remove"],
            )
        except DisplayNameTaken:
            form.add_error("display_name", _("This display name is already taken."))
            return self.render(form, status=400)
        discussion_preferences_set(
            user=request.user, notify_replies=form.cleaned_data["notify_replies"]
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:account")

    def render(self, form, status=200):
        addresses = list(email_addresses_for_user(user=self.request.user))
        context = {
            "form": form,
            "email_addresses": addresses,
            "has_verified_email": any(a.verified for a in addresses),
            "standing": reader_standing_summary(user=self.request.user),
            "moderation_contact": moderation_contact_address(),
            "community_rules_url": community_rules_url(),
            "newsletters": account_newsletters(user=self.request.user, language=get_language()),
        }
        return _private(render(self.request, self.template_name, context, status=status))


class AccountDataView(LoginRequiredMixin, View):
    """`data.json`: the profile, e-mail addresses and comments, as a download."""

    def get(self, request):
        data = account_data_export(user=request.user)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="broadsheet-account-data.json"'
        return _private(response)


class AccountDeleteView(LoginRequiredMixin, View):
    """Asks for the password again, signs the reader out and deletes the account."""

    template_name = "accounts/account_delete.html"

    def get(self, request):
        return self.render(AccountDeleteForm(user=request.user))

    def post(self, request):
        # allauth's "reauthenticate" limit (10/m/user) stops password guessing
        # from a session left open.
        if limited := ratelimit.consume_or_429(request, action="reauthenticate", user=request.user):
            return limited
        form = AccountDeleteForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form, status=400)
        user = request.user
        logout(request)
        account_delete(user=user)
        return redirect("accounts:account_deleted")

    def render(self, form, status=200):
        # Newsletters are a consent of their own, given for an address: they
        # outlive the account (unlinked), and the page says how to stop them.
        newsletters = account_newsletters(user=self.request.user, language=get_language())
        context = {"form": form, "newsletters_manage_url": newsletters["manage_url"]}
        return _private(render(self.request, self.template_name, context, status=status))


class AccountDeletedView(TemplateView):
    template_name = "accounts/account_deleted.html"


PROFILE_COMMENTS = 20


class ProfileView(TemplateView):
    """A reader's public profile. Same HTML for everyone (no per-viewer content),
    so it stays cacheable like the other anonymous pages."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        profile = public_profile_get(pk=kwargs["pk"])
        if profile is None:
            raise Http404
        context["profile"] = profile
        context["comments"] = comments_by_author(user=profile, limit=PROFILE_COMMENTS)
        context["canonical_url"] = absolute_url(reverse("accounts:profile", args=[profile.pk]))
        return context
