from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from broadsheet.core.privacy import ViewRestrictionShortcutMixin
from broadsheet.core.rich_text import rich_text_clean
from broadsheet.core.seo import SeoMixin

from .querysets import FewPagesManager


class AuthorIndexPage(ViewRestrictionShortcutMixin, SeoMixin, Page):
    objects = FewPagesManager()

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.AuthorPage"]
    # One per edition: each edition's front page has its own authors page.
    max_count_per_parent = 1
    page_description = _("The list of the newsroom's writers and photographers.")
    promote_panels = SeoMixin.promote_panels

    class Meta:
        verbose_name = _("author index")

    def get_context(self, request, *args, **kwargs):
        from broadsheet.news.selectors import authors_public

        context = super().get_context(request, *args, **kwargs)
        context["authors"] = authors_public(index=self).select_related("photo").order_by("title")
        return context


class AuthorPage(ViewRestrictionShortcutMixin, SeoMixin, Page):
    role = models.CharField(
        _("role"), max_length=120, blank=True, help_text=_("e.g. 'Moscow correspondent'.")
    )
    photo = models.ForeignKey(
        "mediabank.Photo",
        verbose_name=_("portrait"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bio = RichTextField(_("biography"), features=["bold", "italic", "link"], blank=True)
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_page",
        help_text=_("The newsroom account of this author, if they have one."),
    )

    objects = FewPagesManager()

    parent_page_types = ["news.AuthorIndexPage"]
    subpage_types: list[str] = []
    page_description = _("A writer's or photographer's page with their stories.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("user"),
    ]
    promote_panels = SeoMixin.promote_panels

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def save(self, *args, **kwargs):
        self.bio = rich_text_clean(self.bio)
        return super().save(*args, **kwargs)

    @property
    def meta_description(self) -> str:
        return self.search_description or self.role

    def get_social_image(self):
        return self.photo

    @property
    def is_public(self) -> bool:
        # Only while a public story carries the byline (selectors.author_is_public).
        from broadsheet.news.selectors import author_is_public

        return self.live and author_is_public(author=self)

    def serve(self, request, *args, **kwargs):
        if not self.is_public:
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        return super().get_sitemap_urls(request) if self.is_public else []

    def get_context(self, request, *args, **kwargs):
        from broadsheet.news.selectors import feed_page_from_request

        context = super().get_context(request, *args, **kwargs)
        context["feed"] = feed_page_from_request(request, author=self)
        return context
