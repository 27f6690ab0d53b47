from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from broadsheet.core.seo import SeoMixin


class SectionPage(SeoMixin, Page):
    intro = models.CharField(
        _("introduction"),
        max_length=300,
        blank=True,
        help_text=_("One line under the section name, also used as its description."),
    )

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]
    page_description = _("A section of the site, such as World or Sport, holding its stories.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    promote_panels = SeoMixin.promote_panels

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_context(self, request, *args, **kwargs):
        from broadsheet.news.selectors import feed_page_from_request

        context = super().get_context(request, *args, **kwargs)
        context["feed"] = feed_page_from_request(request, section=self)
        return context
