"""The Newsletters menu: digests (drafts editors reorder, preview and send)
and sends with their numbers."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from broadsheet.core.admin_views import AdminToolMixin

from .messages import send_render
from .models import Digest, Send, SendStatus
from .selectors import sends_with_counts
from .services import digest_send


class DigestViewSet(SnippetViewSet):
    model = Digest
    icon = "mail"
    menu_label = gettext_lazy("Digests")
    add_to_admin_menu = False
    list_display = ["__str__", "subject", "edition", "newsletter"]
    list_filter = ["newsletter"]
    ordering = ["-edition"]


def _preview_send(digest: Digest) -> Send:
    """An unsaved send of the digest, as it would go out."""
    return Send(
        newsletter=digest.newsletter,
        kind="digest",
        subject=digest.subject,
        language=digest.newsletter.language,
        digest=digest,
    )


class DigestPreviewView(AdminToolMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = ModelPermissionPolicy(Digest)
    permission_required = "change"
    template_name = "mailings/admin/digest_preview.html"
    page_title = gettext_lazy("Preview and send")
    header_icon = "mail"

    def get(self, request, pk):
        digest = get_object_or_404(Digest.objects.select_related("newsletter"), pk=pk)
        rendered = send_render(send=_preview_send(digest), language=request.LANGUAGE_CODE)
        send = Send.objects.filter(digest=digest).first()
        context = self.get_context_data(
            digest=digest,
            text=rendered.text,
            send=send,
            has_stories=digest.items.exists(),
            can_send=ModelPermissionPolicy(Send).user_has_permission(request.user, "add"),
        )
        return self.render_to_response(context)


@method_decorator(xframe_options_sameorigin, name="dispatch")
class DigestPreviewHtmlView(AdminToolMixin, View):
    """The HTML part alone, for the preview's iframe."""

    permission_policy = ModelPermissionPolicy(Digest)
    permission_required = "change"

    def get(self, request, pk):
        digest = get_object_or_404(Digest.objects.select_related("newsletter"), pk=pk)
        rendered = send_render(send=_preview_send(digest), language=request.LANGUAGE_CODE)
        return HttpResponse(rendered.html)


class DigestSendView(AdminToolMixin, View):
    permission_policy = ModelPermissionPolicy(Send)
    permission_required = "add"
    http_method_names = ["post"]

    def post(self, request, pk):
        digest = get_object_or_404(Digest, pk=pk)
        send = digest_send(digest=digest, user=request.user)
        if send is None:
            messages.error(request, _("This digest has been sent already, or has no stories."))
            return redirect("mailings_admin:digest_preview", pk)
        messages.success(request, _("The digest is on its way."))
        return redirect("mailings_admin:sends")


class SendListView(AdminToolMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_policy = ModelPermissionPolicy(Send)
    permission_required = "view"
    template_name = "mailings/admin/sends.html"
    page_title = gettext_lazy("Sends")
    header_icon = "mail"

    def get(self, request):
        page = Paginator(sends_with_counts(), 50).get_page(request.GET.get("p"))
        return self.render_to_response(self.get_context_data(page=page, running=SendStatus.SENDING))


def digest_preview_url(digest: Digest) -> str:
    return reverse("mailings_admin:digest_preview", args=[digest.pk])
