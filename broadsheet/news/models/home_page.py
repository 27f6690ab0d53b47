from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from broadsheet.core.seo import SeoMixin


class HomePage(SeoMixin, Page):
    lead_story = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("lead story"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Pinned at the top of the front page. Empty: the newest story leads."),
    )

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.AuthorIndexPage", "news.TagIndexPage"]
    page_description = _("The front page.")

    content_panels = [*Page.content_panels, FieldPanel("lead_story")]
    promote_panels = SeoMixin.promote_panels

    class Meta:
        verbose_name = _("front page")

    def get_context(self, request, *args, **kwargs):
        from broadsheet.news.selectors import front_page

        context = super().get_context(request, *args, **kwargs)
        context.update(front_page(home=self))
        return context
