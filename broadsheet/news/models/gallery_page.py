from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from broadsheet.core.privacy import ViewRestrictionShortcutMixin
from broadsheet.core.seo import SeoMixin
from broadsheet.mediabank.captions import photo_caption

from .public_time import PublicTimeMixin
from .querysets import FewPagesManager
from .translation_fields import not_copied


class GalleryPhoto(Orderable):
    page = ParentalKey("news.GalleryPage", related_name="gallery_photos", on_delete=models.CASCADE)
    photo = models.ForeignKey(
        "mediabank.Photo", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(
        _("caption"),
        max_length=400,
        blank=True,
        help_text=_("Leave empty to use the photo's caption from the media bank."),
    )

    panels = [FieldPanel("photo"), FieldPanel("caption")]

    @property
    def display_caption(self) -> str:
        return self.caption or photo_caption(photo=self.photo)


class GalleryPage(PublicTimeMixin, RoutablePageMixin, ViewRestrictionShortcutMixin, SeoMixin, Page):
    """A photo gallery ("… in pictures"): every photo has its own URL,
    `/<section>/<gallery>/` for the first and `/<section>/<gallery>/<n>/` for the nth."""

    intro = models.TextField(_("introduction"), max_length=600)
    cover_photo = models.ForeignKey(
        "mediabank.Photo",
        verbose_name=_("cover photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The gallery's public time, kept as on ArticlePage.
    published_at = models.DateTimeField(_("published"), null=True, editable=False)

    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    page_description = _("A photo gallery: a series of photos, each with its own page.")

    objects = FewPagesManager()

    # A translated gallery gets its own public time when its edition publishes it.
    exclude_fields_in_copy = ["published_at"]
    override_translatable_fields = not_copied("published_at")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("cover_photo"),
        InlinePanel("gallery_photos", label=_("Photo"), heading=_("Photos"), min_num=1),
    ]
    promote_panels = SeoMixin.promote_panels

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        verbose_name = _("gallery")
        verbose_name_plural = _("galleries")

    @cached_property
    def photos(self) -> list[GalleryPhoto]:
        return list(self.gallery_photos.select_related("photo").order_by("sort_order"))

    @property
    def photo_count(self) -> int:
        annotated = getattr(self, "photo_total", None)  # set by SectionPage.galleries
        return annotated if annotated is not None else len(self.photos)

    @property
    def cover(self):
        if self.cover_photo is not None:
            return self.cover_photo
        return self.photos[0].photo if self.photos else None

    def get_social_image(self):
        return self.cover

    def photo_url(self, n: int, request=None) -> str:
        base = self.get_url(request)
        return base if n == 1 else f"{base}{self.reverse_subpage('photo', args=[n])}"

    def _serve_photo(self, request, n: int):
        photos = self.photos
        if not 1 <= n <= len(photos):
            raise Http404
        items = [
            {"n": i, "item": item, "url": self.photo_url(i, request)}
            for i, item in enumerate(photos, start=1)
        ]
        return self.render(
            request,
            context_overrides={
                "items": items,
                "current": items[n - 1],
                "previous": items[n - 2] if n > 1 else None,
                "next": items[n] if n < len(items) else None,
                "photo_count": len(items),
            },
        )

    @path("")
    def first_photo(self, request):
        return self._serve_photo(request, 1)

    @path("<int:n>/")
    def photo(self, request, n):
        return self._serve_photo(request, n)
