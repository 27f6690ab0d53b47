"""The rights desk in the Wagtail admin: the "Expiring photos" report and
"Swap this photo on all pages". Both are for users who may change images."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from broadsheet.core.admin_views import AdminToolMixin

from .forms import ExpiringPhotosForm, PhotoSwapForm
from .models import Photo
from .services import SwapRefused, photo_swap
from .usage import photo_draft_pages, photos_pages

REPORT_PAGE_SIZE = 50


def user_can_change_photos(user) -> bool:
    return policy_registry.get_by_type(Photo).user_has_permission(user, "change")


class PhotoRightsMixin(AdminToolMixin):
    model = Photo
    permission_required = "change"


def photos_expiring(*, days: int, include_expired: bool):
    """Photos whose licence ends within `days`, soonest first; with
    `include_expired`, also those already expired or withdrawn."""
    now = timezone.now()
    soon = Q(licence_expires_at__gt=now, licence_expires_at__lte=now + timedelta(days=days))
    if include_expired:
        soon |= Q(licence_expires_at__lte=now) | Q(restricted=True)
    return Photo.objects.filter(soon).order_by("licence_expires_at", "pk")


class ExpiringPhotosView(PhotoRightsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "mediabank/admin/expiring_photos.html"
    page_title = gettext_lazy("Expiring photos")
    header_icon = "image"

    def get(self, request, *args, **kwargs):
        form = ExpiringPhotosForm(request.GET or None)
        rows, page = [], None
        if form.is_bound and not form.is_valid():
            status = 400
        else:
            status = 200
            data = form.cleaned_data if form.is_bound else {}
            photos = photos_expiring(
                days=data.get("days") or 30, include_expired=data.get("include_expired", False)
            )
            page = Paginator(photos, REPORT_PAGE_SIZE).get_page(request.GET.get("p"))
            used = photos_pages(photos=page.object_list)
            rows = [{"photo": photo, "pages": used.get(photo.pk, [])} for photo in page]
        query = request.GET.copy()
        query.pop("p", None)
        context = self.get_context_data(
            form=form, rows=rows, page=page, query=query.urlencode(), now=timezone.now()
        )
        return self.render_to_response(context, status=status)


class PhotoSwapView(PhotoRightsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "mediabank/admin/photo_swap.html"
    page_title = gettext_lazy("Swap photo on all pages")
    header_icon = "image"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.photo = get_object_or_404(Photo, pk=kwargs["pk"])

    def _context(self, form):
        pages = {p.pk: p for p in photos_pages(photos=[self.photo])[self.photo.pk]}
        for page in photo_draft_pages(photo=self.photo):
            pages.setdefault(page.pk, page)
        return self.get_context_data(
            photo=self.photo,
            form=form,
            pages=list(pages.values()),
            back_url=self.request.GET.get("next") or reverse("mediabank_admin:expiring_photos"),
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self._context(PhotoSwapForm(old=self.photo)))

    def post(self, request, *args, **kwargs):
        form = PhotoSwapForm(request.POST, old=self.photo)
        if not form.is_valid():
            return self.render_to_response(self._context(form), status=400)
        new = form.cleaned_data["replacement"]
        try:
            result = photo_swap(old=self.photo, new=new, user=request.user)
        except SwapRefused as exc:
            form.add_error("replacement", str(exc))
            return self.render_to_response(self._context(form), status=400)
        messages.success(
            request,
            _("Photo “%(old)s” replaced by “%(new)s” on %(count)d page(s).")
            % {
                "old": self.photo.title,
                "new": new.title,
                "count": result.count,
            },
        )
        return redirect("mediabank_admin:expiring_photos")
