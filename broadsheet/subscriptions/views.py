"""The reader's pages: the subscribe form (a page, and the fragment the
dialog loads), the confirmation page, the preference centre and one-click
unsubscribe.

Every page here is per-request (a CSRF token, a reader's lists, a token in
the address), so each is `private, no-store`; the pages reached by a signed
link also send no referrer and ask not to be indexed, so the link never
leaks to another site or a search engine. Story pages only link here."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from broadsheet.discussions.views.context import HttpResponseSeeOther, client_ip

from . import selectors, services
from .forms import MAX_POST_BYTES, PauseForm, PreferencesForm, SubscribeForm
from .links import preferences_url, subscriber_from_token
from .models import NewsletterList, SubscriptionStatus


def _private(response: HttpResponse, *, signed_link: bool = False) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    if signed_link:
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_POST_BYTES
    except ValueError:
        return True


def _member(request) -> tuple[str | None, object]:
    """A signed-in reader's verified address and subscriber (None, None for
    anyone else: they get the double opt-in)."""
    email = selectors.verified_email_for_user(user=request.user)
    if email is None:
        return None, None
    return email, selectors.subscriber_for_user(user=request.user)


class SubscribeView(View):
    """`/subscribe/` (a page) and `/subscribe/form/` (the same body for the
    dialog, `fragment=True`)."""

    fragment = False

    def template(self) -> str:
        if self.fragment:
            return "subscriptions/subscribe_fragment.html"
        return "subscriptions/subscribe.html"

    def render(self, context: dict, status: int = 200) -> HttpResponse:
        context.setdefault("email", None)
        action = "subscriptions:subscribe_form" if self.fragment else "subscriptions:subscribe"
        context.update(
            fragment=self.fragment,
            form_action=reverse(action),
            page_url=reverse("subscriptions:subscribe"),
        )
        response = TemplateResponse(self.request, self.template(), context, status=status)
        return _private(response)

    def get(self, request):
        email, subscriber = _member(request)
        if email is not None:
            return self.render(self.member_context(email, subscriber))
        return self.render({"form": self.empty_form()})

    def empty_form(self) -> SubscribeForm:
        language = get_language()
        newsletters = selectors.newsletters_offered(language=language)
        default = selectors.newsletter_default(newsletters=newsletters, language=language)
        initial = {"newsletters": [default.pk] if default else []}
        if self.request.user.is_authenticated:
            initial["email"] = self.request.user.email
        return SubscribeForm(
            initial=initial, newsletters=selectors.newsletters_of_edition(language=language)
        )

    def member_context(self, email: str, subscriber, **extra) -> dict:
        statuses = selectors.subscriber_statuses(subscriber=subscriber)
        newsletters = selectors.newsletters_offered(language=get_language())
        return {
            "email": email,
            "member_lists": [
                (n, statuses.get(n.pk) == SubscriptionStatus.ACTIVE) for n in newsletters
            ],
            "manage_url": preferences_url(subscriber=subscriber) if subscriber else None,
            **extra,
        }

    def post(self, request):
        if _too_large(request):
            error = _("This form is far too large. Please fill it in again.")
            return self.render({"form": self.empty_form(), "error": error}, status=413)
        email, subscriber = _member(request)
        if email is not None and "toggle" in request.POST:
            return self.member_post(email)
        form = SubscribeForm(
            request.POST, newsletters=selectors.newsletters_of_edition(language=get_language())
        )
        if not form.is_valid():
            return self.render({"form": form}, status=400)
        if form.is_bot:
            return self.render({"done": True})
        try:
            services.subscribe_request(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                newsletters=list(form.cleaned_data["newsletters"]),
                language=get_language(),
                ip=client_ip(request),
            )
        except services.SubscribeRefused as refusal:
            form.add_error(None, refusal.message)
            return self.render({"form": form}, status=refusal.status)
        return self.render({"done": True})

    def member_post(self, email: str):
        newsletter = NewsletterList.objects.offered().filter(
            pk=_int(self.request.POST.get("toggle"))
        )
        newsletter = newsletter.first()
        if newsletter is None:
            subscriber = selectors.subscriber_for_user(user=self.request.user)
            context = self.member_context(email, subscriber, error=_("Choose a newsletter."))
            return self.render(context, status=400)
        subscriber = services.member_subscriber(
            user=self.request.user, email=email, language=get_language()
        )
        on = self.request.POST.get("on") == "1"
        services.member_toggle(subscriber=subscriber, newsletter=newsletter, on=on)
        if self.fragment:
            message = (_("You are subscribed to %(name)s.") if on else _("You left %(name)s.")) % {
                "name": newsletter.name
            }
            return self.render(self.member_context(email, subscriber, notice=message))
        target = self.request.POST.get("next") or reverse("subscriptions:subscribe")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            target = reverse("subscriptions:subscribe")
        return HttpResponseSeeOther(target)


def _int(raw) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else None


class SubscribeFragmentView(SubscribeView):
    fragment = True


# The pages behind a signed link send `Referrer-Policy: no-referrer`, so the
# browser posts their forms with `Origin: null` and no Referer, which Django's
# CSRF check refuses. They need no CSRF token: the address itself carries a
# secret (the signed token) that a forging site cannot know, and no cookie or
# session is involved. The signed token is the authority, as for RFC 8058.
@method_decorator(csrf_exempt, name="dispatch")
class ConfirmView(View):
    """The link in the confirmation e-mail opens a page with a button: only
    the POST confirms, since mail scanners follow the links they see."""

    def dispatch(self, request, token):
        confirm = services.confirm_request_from_token(token=token)
        if confirm is None:
            response = TemplateResponse(request, "subscriptions/confirm_invalid.html", status=400)
            return _private(response, signed_link=True)
        self.confirm = confirm
        return super().dispatch(request, token)

    def get(self, request, token):
        context = {"confirm": self.confirm, "token": token}
        response = TemplateResponse(request, "subscriptions/confirm.html", context)
        return _private(response, signed_link=True)

    def post(self, request, token):
        confirmed = services.subscription_confirm(request=self.confirm)
        context = {
            "newsletters": confirmed,
            "manage_url": preferences_url(subscriber=self.confirm.subscriber),
        }
        response = TemplateResponse(request, "subscriptions/confirmed.html", context)
        return _private(response, signed_link=True)


@method_decorator(csrf_exempt, name="dispatch")
class TokenView(View):
    """Views behind a preference-centre or unsubscribe link: a forged,
    altered or revoked token is a 404 page that says so."""

    def dispatch(self, request, token):
        found = subscriber_from_token(token=token)
        if found is None:
            response = TemplateResponse(request, "subscriptions/link_invalid.html", status=404)
            return _private(response, signed_link=True)
        self.subscriber, self.newsletter = found
        self.token = token
        return super().dispatch(request, token)

    def page(self, template: str, context: dict | None = None, status: int = 200):
        context = {"subscriber": self.subscriber, "token": self.token, **(context or {})}
        response = TemplateResponse(self.request, template, context, status=status)
        return _private(response, signed_link=True)


SAVED_NOTICES = {
    "lists": gettext_lazy("Your newsletters have been saved."),
    "paused": gettext_lazy("Your newsletters are paused."),
    "resumed": gettext_lazy("Your newsletters are on again."),
    "unsubscribed": gettext_lazy("You have been unsubscribed from every newsletter."),
}


class PreferencesView(TokenView):
    def lists(self):
        statuses = selectors.subscriber_statuses(subscriber=self.subscriber)
        mine = [pk for pk, status in statuses.items() if status == SubscriptionStatus.ACTIVE]
        queryset = NewsletterList.objects.filter(active=True) | NewsletterList.objects.filter(
            pk__in=list(statuses)
        )
        return queryset.distinct().order_by("sort_order", "name"), mine

    def get(self, request, token, forms=None, status=200):
        newsletters, mine = self.lists()
        forms = forms or {}
        notice = SAVED_NOTICES.get(request.GET.get("saved", ""))
        context = {
            "lists_form": forms.get("lists")
            or PreferencesForm(newsletters=newsletters, initial={"newsletters": mine}),
            "pause_form": forms.get("pause") or PauseForm(),
            "notice": notice,
            "has_active": bool(mine),
            "paused": bool(
                self.subscriber.paused_until and self.subscriber.paused_until > timezone.now()
            ),
        }
        return self.page("subscriptions/preferences.html", context, status=status)

    def post(self, request, token):
        if _too_large(request):
            return self.get(request, token, status=413)
        action = request.POST.get("action")
        if action == "lists":
            newsletters, _mine = self.lists()
            form = PreferencesForm(request.POST, newsletters=newsletters)
            if not form.is_valid():
                return self.get(request, token, forms={"lists": form}, status=400)
            services.preferences_lists_set(
                subscriber=self.subscriber, newsletters=list(form.cleaned_data["newsletters"])
            )
        elif action == "pause":
            form = PauseForm(request.POST)
            if not form.is_valid():
                return self.get(request, token, forms={"pause": form}, status=400)
            services.subscriber_pause(subscriber=self.subscriber, days=form.cleaned_data["days"])
            action = "paused"
        elif action == "resume":
            services.subscriber_resume(subscriber=self.subscriber)
            action = "resumed"
        elif action == "unsubscribe":
            services.subscription_unsubscribe(subscriber=self.subscriber)
            action = "unsubscribed"
        else:
            return self.get(request, token, status=400)
        url = reverse("subscriptions:preferences", args=[token])
        return _private(HttpResponseSeeOther(f"{url}?saved={action}"), signed_link=True)


class DataView(TokenView):
    def get(self, request, token):
        data = selectors.subscriber_data(subscriber=self.subscriber)
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="newsletter-data.json"'
        return _private(response, signed_link=True)


class DeleteView(TokenView):
    def get(self, request, token):
        return self.page("subscriptions/delete.html")

    def post(self, request, token):
        services.subscriber_delete(subscriber=self.subscriber)
        response = TemplateResponse(request, "subscriptions/deleted.html")
        return _private(response, signed_link=True)


class UnsubscribeView(TokenView):
    """RFC 8058 one-click: a POST (from the mail client, with the body
    `List-Unsubscribe=One-Click`, or from this page's button) unsubscribes at
    once; no cookie, no CSRF token: the signed token is the authority. A GET
    only shows the button."""

    def get(self, request, token):
        return self.page("subscriptions/unsubscribe.html", {"newsletter": self.newsletter})

    def post(self, request, token):
        services.subscription_unsubscribe(subscriber=self.subscriber, newsletter=self.newsletter)
        context = {"newsletter": self.newsletter, "done": True}
        return self.page("subscriptions/unsubscribe.html", context)
