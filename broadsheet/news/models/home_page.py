from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from broadsheet.core.privacy import ViewRestrictionShortcutMixin
from broadsheet.core.seo import SeoMixin

from .querysets import FewPagesManager
from .translation_fields import not_copied


class HomePage(ViewRestrictionShortcutMixin, SeoMixin, Page):
    lead_story = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Pinned at the top of the front page. Empty: the newest story leads."),
    )

    objects = FewPagesManager()

    # Each edition chooses its own lead story (wagtail-localize would copy
    # the source's, a story of another edition).
    exclude_fields_in_copy = ["lead_story"]
    override_translatable_fields = not_copied("lead_story")

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.AuthorIndexPage", "news.TagIndexPage"]
    page_description = _("The front page.")

    content_panels = [*Page.content_panels, FieldPanel("lead_story")]
    promote_panels = SeoMixin.promote_panels

    class Meta:
        verbose_name = _("front page")

    def clean(self):
        super().clean()
        # One front page per edition (each locale's tree has its own).
        others = HomePage.objects.filter(locale_id=self.locale_id).exclude(pk=self.pk)
        if self.locale_id and others.exists():
            raise ValidationError(_("This edition already has a front page."))

    @property
    def localized(self):
        """The front page of the active edition, from the memo: Wagtail's
        routing asks for it on every request (`site.root_page.localized`)."""
        from django.utils import translation

        from broadsheet.editions.selectors import home_for, locale_id_for

        language = translation.get_language()
        if language is None or locale_id_for(language=language) == self.locale_id:
            return self
        return home_for(language=language) or self

    def get_context(self, request, *args, **kwargs):
        from broadsheet.news.selectors import front_page

        context = super().get_context(request, *args, **kwargs)
        context.update(front_page(home=self))
        return context

    def route(self, request, path_components):
        """Find a section without a query: most requests below the front page
        are for a section or one of its stories. Wagtail's default (a Page,
        then `.specific`) serves every other child, and missing slugs."""
        if path_components:
            section = self.sections_by_slug().get(path_components[0])
            if section is not None:
                section._cached_parent_obj = self
                return section.route(request, path_components[1:])
        return super().route(request, path_components)

    def sections_by_slug(self) -> dict:
        """This front page's live sections, once per process and content version."""
        from broadsheet.core.cache import memoized

        from .section_page import SectionPage

        return memoized(
            ("sections_by_slug", self.pk),
            lambda: {s.slug: s for s in SectionPage.objects.child_of(self).live()},
        )
