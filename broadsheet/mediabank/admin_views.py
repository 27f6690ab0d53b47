"""The rights desk in the Wagtail admin: the "Expiring photos" report and
"Swap this photo on all pages". Both are for users who may change images.
Also Wagtail's multiple uploader, made to keep a file's keywords as tags."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.images.views import multiple
from wagtail.permissions import policy_registry

from broadsheet.core.admin_views import AdminToolMixin

from .forms import ExpiringPhotosForm, PhotoSwapForm
from .models import Photo
from .services import SwapRefused, photo_swap, photo_swap_plan
from .usage import photos_pages

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


def user_can_swap_photo(user, photo: Photo) -> bool:
    """May the user open "Swap on all pages" for this photo: change permission
    on the photo itself (its collection), as its own edit page requires. Which
    pages the swap then touches is decided page by page (`services.photo_swap`)."""
    return policy_registry.get_by_type(Photo).user_has_permission_for_instance(
        user, "change", photo
    )


def _page_titles(pages) -> str:
    return ", ".join(_("“%(title)s”") % {"title": page.get_admin_display_title()} for page in pages)


class PhotoSwapView(PhotoRightsMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "mediabank/admin/photo_swap.html"
    page_title = gettext_lazy("Swap photo on all pages")
    header_icon = "image"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.photo = get_object_or_404(Photo, pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not user_can_swap_photo(request.user, self.photo):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def back_url(self) -> str:
        # The photo's edit page or the report, whichever linked here; only a
        # URL on this site (Wagtail's own check for "next").
        return get_valid_next_url_from_request(self.request) or reverse(
            "mediabank_admin:expiring_photos"
        )

    def _context(self, form):
        return self.get_context_data(
            photo=self.photo,
            form=form,
            plan=photo_swap_plan(old=self.photo, user=self.request.user),
            back_url=self.back_url,
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
        self._report(result, new)
        return redirect(self.back_url)

    def _report(self, result, new):
        """The result, in the confirmation page's three groups."""
        titles = {"old": self.photo.title, "new": new.title}
        summary = [
            _("Photo “%(old)s” replaced by “%(new)s”.") % titles,
            ngettext(
                "%(count)d page published.", "%(count)d pages published.", len(result.published)
            )
            % {"count": len(result.published)},
        ]
        published = {page.pk for page in result.published}
        drafts_only = [page for page in result.drafts if page.pk not in published]
        summary.append(
            ngettext(
                "%(count)d page saved as draft.",
                "%(count)d pages saved as draft.",
                len(drafts_only),
            )
            % {"count": len(drafts_only)}
        )
        messages.success(self.request, " ".join(summary))
        if result.needs_publishing:
            messages.warning(
                self.request,
                ngettext(
                    "Saved as draft, needs publishing by an editor (the live page still shows "
                    "the old photo): %(pages)s.",
                    "Saved as draft, need publishing by an editor (the live pages still show "
                    "the old photo): %(pages)s.",
                    len(result.needs_publishing),
                )
                % {"pages": _page_titles(result.needs_publishing)},
            )
        if result.skipped:
            messages.warning(
                self.request,
                ngettext(
                    "Not changed, you may not edit this page: %(pages)s.",
                    "Not changed, you may not edit these pages: %(pages)s.",
                    len(result.skipped),
                )
                % {"pages": _page_titles(result.skipped)},
            )


class PhotoMultipleAddView(multiple.AddView):
    """Wagtail's multiple uploader (/admin/images/multiple/add/), registered
    in its place by wagtail_hooks. Wagtail saves the upload form with
    commit=False and never calls save_m2m(), so the tags `PhotoForm` reads
    from the file's IPTC keywords or XMP dc:subject were dropped there while
    the single uploader kept them."""

    def save_object(self, form):
        photo = super().save_object(form)
        form.save_m2m()
        return photo
